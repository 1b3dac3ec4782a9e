package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Mutual exclusion (a lock, a single leader): from the {@link History#LOCK_ACQUIRED}, {@link History#LOCK_RELEASED}
 * and {@link History#LOCK_LOST} events that processes record ({@link History#acquired}, {@link History#released},
 * {@link History#lost}), the intervals in which a process believed it held a lock must never overlap with another
 * process's interval for the same lock.
 *
 * <p>A process holds a lock from its acquired event until its next released or lost event for that lock, or until
 * the end of the history if there is none (it still believed it held it). An acquired event while already holding is
 * part of the same interval. When two intervals overlap, the result is INVALID; its events are both intervals'
 * start and end events and every fault in force during the overlap ({@link History#FAULT_START} events not yet ended
 * by a matching {@link History#FAULT_END}).
 *
 * <p>With Curator, record in your own listeners (Curator is not a dependency of zk-harness):
 * <pre>{@code
 * LeaderLatch latch = new LeaderLatch(client, "/leader");
 * latch.addListener(new LeaderLatchListener() {
 *     public void isLeader() { history.acquired(process, "leader"); }
 *     public void notLeader() { history.released(process, "leader"); }
 * });
 * client.getConnectionStateListenable().addListener((c, state) -> {
 *     if (!state.isConnected() && latch.hasLeadership()) { history.lost(process, "leader"); }
 * });
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MutualExclusion implements Checker {

    private static final String NAME = "mutual-exclusion";

    private MutualExclusion() {}

    /**
     * The checker, for every lock named in the history: {@code MutualExclusion.of().check(history)}, made and run as
     * every checker is.
     *
     * @return the checker
     */
    public static MutualExclusion of() {
        return new MutualExclusion();
    }

    /** One process's belief that it held one lock. */
    private record Interval(String holder, Event start, Event end) {
        long from() {
            return start.timeNanos();
        }

        long to() {
            return end == null ? Long.MAX_VALUE : end.timeNanos();
        }

        String describe() {
            return holder + " held it from " + ms(from()) + " to "
                    + (end == null ? "the end of the history" : ms(to()) + " (" + end.kind() + ")");
        }
    }

    /** Finds overlapping holders (see the class comment). */
    @Override
    public CheckResult check(History history) {
        List<Event> events = history.events();
        Map<String, List<Interval>> byLock = new TreeMap<>();
        Map<String, Event> open = new HashMap<>(); // holder + '\n' + lock -> acquired event
        for (Event e : events) {
            String k = e.source() + '\n' + e.description();
            switch (e.kind()) {
                case History.LOCK_ACQUIRED -> open.putIfAbsent(k, e);
                case History.LOCK_RELEASED, History.LOCK_LOST -> {
                    Event start = open.remove(k);
                    if (start != null) {
                        byLock.computeIfAbsent(e.description(), l -> new ArrayList<>())
                                .add(new Interval(e.source(), start, e));
                    }
                }
                default -> {}
            }
        }
        for (Event start : open.values()) {
            byLock.computeIfAbsent(start.description(), l -> new ArrayList<>())
                    .add(new Interval(start.source(), start, null));
        }
        int intervals = 0;
        for (Map.Entry<String, List<Interval>> lock : byLock.entrySet()) {
            List<Interval> list = lock.getValue();
            list.sort((a, b) -> Long.compare(a.from(), b.from()));
            intervals += list.size();
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1;
                        j < list.size() && list.get(j).from() < list.get(i).to();
                        j++) {
                    Interval a = list.get(i);
                    Interval b = list.get(j);
                    if (!a.holder().equals(b.holder())) {
                        return overlap(lock.getKey(), a, b, events);
                    }
                }
            }
        }
        return CheckResult.valid(
                NAME, intervals + " holding intervals of " + byLock.size() + " locks never" + " overlap");
    }

    private static CheckResult overlap(String lock, Interval a, Interval b, List<Event> events) {
        long from = Math.max(a.from(), b.from());
        long to = Math.min(a.to(), b.to());
        List<Event> involved = new ArrayList<>();
        involved.add(a.start());
        involved.add(b.start());
        if (a.end() != null) {
            involved.add(a.end());
        }
        if (b.end() != null) {
            involved.add(b.end());
        }
        List<Event> faults = Faults.inForce(events, from, to);
        involved.addAll(faults);
        involved.sort((x, y) -> Long.compare(x.timeNanos(), y.timeNanos()));
        StringBuilder s = new StringBuilder("two processes held lock ")
                .append(lock)
                .append(" at once from ")
                .append(ms(from))
                .append(" to ")
                .append(to == Long.MAX_VALUE ? "the end of the history" : ms(to))
                .append(": ")
                .append(a.describe())
                .append("; ")
                .append(b.describe())
                .append('.');
        if (faults.isEmpty()) {
            s.append(" No fault was in force.");
        } else {
            s.append(" Faults in force: ");
            for (int i = 0; i < faults.size(); i++) {
                s.append(i == 0 ? "" : ", ")
                        .append(faults.get(i).description())
                        .append(" (from ")
                        .append(ms(faults.get(i).timeNanos()))
                        .append(')');
            }
            s.append('.');
        }
        return CheckResult.invalid(NAME, lock, s.toString(), List.of(), involved);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
