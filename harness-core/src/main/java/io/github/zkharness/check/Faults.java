package io.github.zkharness.check;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fault intervals from fault-start/fault-end events (see {@link History}'s vocabulary). */
final class Faults {

    private Faults() {}

    /**
     * A fault: its start event and its end event (null: never ended).
     *
     * @param start the fault-start event
     * @param end the matching fault-end event, or null
     */
    record Band(Event start, Event end) {
        long to() {
            return end == null ? Long.MAX_VALUE : end.timeNanos();
        }
    }

    /** Every fault, in start order; a fault-end closes the earliest open start with the same source and text. */
    static List<Band> bands(List<Event> events) {
        List<Band> bands = new ArrayList<>();
        Map<String, List<Integer>> open = new HashMap<>();
        for (Event e : events) {
            String k = e.source() + '\n' + e.description();
            if (e.kind().equals(History.FAULT_START)) {
                open.computeIfAbsent(k, x -> new ArrayList<>()).add(bands.size());
                bands.add(new Band(e, null));
            } else if (e.kind().equals(History.FAULT_END)) {
                List<Integer> starts = open.get(k);
                if (starts != null && !starts.isEmpty()) {
                    int i = starts.remove(0);
                    bands.set(i, new Band(bands.get(i).start(), e));
                }
            }
        }
        return bands;
    }

    /** The fault-start events of faults in force at some point of [from, to]. */
    static List<Event> inForce(List<Event> events, long from, long to) {
        List<Event> in = new ArrayList<>();
        for (Band b : bands(events)) {
            if (b.start().timeNanos() <= to && b.to() >= from) {
                in.add(b.start());
            }
        }
        return in;
    }
}
