package io.github.zkharness.check;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fault bands from fault-start, fault-end and fault-effect-end events (see {@link History}'s vocabulary), and what
 * kind of bug an anomaly near each kind of fault usually is.
 */
final class Faults {

    private Faults() {}

    /**
     * A fault: its start event, the end of its action (null: never ended) and the end of its effect (null: the same
     * as its action's).
     *
     * @param start the fault-start event
     * @param end the matching fault-end event, or null
     * @param effectEnd the matching fault-effect-end event, or null
     */
    record Band(Event start, @Nullable Event end, @Nullable Event effectEnd) {
        /** When its action ended, or never. */
        long actionTo() {
            return end == null ? Long.MAX_VALUE : end.timeNanos();
        }

        /** When its effect ended (its action's end if none was recorded), or never. */
        long to() {
            if (end == null) {
                return Long.MAX_VALUE;
            }
            return effectEnd == null ? end.timeNanos() : Math.max(end.timeNanos(), effectEnd.timeNanos());
        }

        /**
         * For an explanation: {@code expire session 0x1 (from 10.0 ms, action ended 12.0 ms, effect ended 30.0 ms)}.
         */
        String describe() {
            StringBuilder s = new StringBuilder(start.description())
                    .append(" (from ")
                    .append(MutualExclusion.ms(start.timeNanos()));
            if (end == null) {
                s.append(", never ended");
            } else {
                s.append(", action ended ").append(MutualExclusion.ms(end.timeNanos()));
                if (effectEnd != null) {
                    s.append(", effect ended ").append(MutualExclusion.ms(effectEnd.timeNanos()));
                }
            }
            return s.append(')').toString();
        }
    }

    /**
     * Every fault, in start order; a fault-end closes the earliest open start with the same source and text, a
     * fault-effect-end the earliest ended one of them whose effect is open.
     */
    static List<Band> bands(List<Event> events) {
        List<Band> bands = new ArrayList<>();
        Map<String, List<Integer>> open = new HashMap<>();
        Map<String, List<Integer>> effectOpen = new HashMap<>();
        for (Event e : events) {
            String k = e.source() + '\n' + e.description();
            if (e.kind().equals(History.FAULT_START)) {
                open.computeIfAbsent(k, x -> new ArrayList<>()).add(bands.size());
                bands.add(new Band(e, null, null));
            } else if (e.kind().equals(History.FAULT_END)) {
                List<Integer> starts = open.get(k);
                if (starts != null && !starts.isEmpty()) {
                    int i = starts.remove(0);
                    bands.set(i, new Band(bands.get(i).start(), e, null));
                    effectOpen.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
                }
            } else if (e.kind().equals(History.FAULT_EFFECT_END)) {
                List<Integer> ended = effectOpen.get(k);
                if (ended != null && !ended.isEmpty()) {
                    int i = ended.remove(0);
                    Band b = bands.get(i);
                    bands.set(i, new Band(b.start(), b.end(), e));
                }
            }
        }
        return bands;
    }

    /** The faults in force (their action or effect) at some point of [from, to]. */
    static List<Band> inForce(List<Event> events, long from, long to) {
        List<Band> in = new ArrayList<>();
        for (Band b : bands(events)) {
            if (b.start().timeNanos() <= to && b.to() >= from) {
                in.add(b);
            }
        }
        return in;
    }

    /** The faults whose effect ended within {@code window} before {@code from}: (from - window, from). */
    static List<Band> endedShortlyBefore(List<Event> events, long from, Duration window) {
        List<Band> before = new ArrayList<>();
        for (Band b : bands(events)) {
            long to = b.to();
            if (to < from && to >= from - window.toNanos()) {
                before.add(b);
            }
        }
        return before;
    }

    /**
     * What kind of bug a mutual-exclusion anomaly near a fault described so usually is, by the harness's fault
     * descriptions ({@code expire session ...}, {@code partition ...}, {@code kill node ...}, ...).
     */
    static String lockLesson(String description) {
        String d = description.toLowerCase(Locale.ROOT);
        if (d.startsWith("expire session")) {
            return "a lock holder that learned of its expired session late (a client hears of it only when it next"
                    + " talks to a server) or never checked it: a lock needs fencing";
        }
        if (d.startsWith("drop the connection")) {
            return "a holder that kept acting while disconnected: treat a suspended connection as a lost lock, or"
                    + " fence";
        }
        if (d.startsWith("partition")
                || d.startsWith("isolate")
                || d.startsWith("freeze")
                || d.startsWith("stall")
                || d.startsWith("cut")
                || d.startsWith("disconnect")) {
            return "a holder cut off from the quorum that kept acting until its session expired: stop on a suspended"
                    + " connection, not on a lost one, and fence";
        }
        if (d.startsWith("kill") || d.startsWith("stop") || d.startsWith("restart") || d.startsWith("wipe")) {
            return "a holder whose server went down and that kept acting while it reconnected, or a lock node lost"
                    + " with a server's data: stop on a suspended connection, and fence";
        }
        if (d.startsWith("add ") || d.startsWith("remove") || d.startsWith("make node")) {
            return "a holder whose server left or changed roles in a reconfiguration and that kept acting while it"
                    + " reconnected: stop on a suspended connection, and fence";
        }
        if (d.startsWith("latency") || d.startsWith("bandwidth") || d.startsWith("slow") || d.contains("full")) {
            return "a holder slowed down past its session timeout that kept acting: a lock needs fencing";
        }
        return "a holder that kept acting after the fault took its session or connection away: a lock needs"
                + " fencing";
    }
}
