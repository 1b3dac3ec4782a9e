package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Mutual exclusion (a lock, a single leader): from the {@link History#LOCK_ACQUIRED}, {@link History#LOCK_RELEASED}
 * and {@link History#LOCK_LOST} events that processes record ({@link History#acquired}, {@link History#released},
 * {@link History#lost}), the intervals in which a process believed it held a lock must never overlap with another
 * process's interval for the same lock.
 *
 * <p>A process holds a lock from its acquired event until its next released or lost event for that lock, or until
 * the end of the history if there is none (it still believed it held it). An acquired event while already holding is
 * part of the same interval. When two intervals overlap, the result is INVALID; its events are both intervals'
 * start and end events and the start of every fault that explains it: each fault in force during the overlap (from its
 * {@link History#FAULT_START} to the end of its effect, {@link History#FAULT_EFFECT_END}, or of its action,
 * {@link History#FAULT_END}, when no effect end was recorded), and each fault whose effect ended within the
 * {@linkplain #faultWindow(Duration) fault window} (2 s unless set) before the overlap began: a client hears of a
 * fault only when it next talks to a server (ZooKeeper's client waits 100 ms before it reports a lost connection,
 * and up to a second before each reconnection), so a holder often acts on a fault shortly after it is over. The
 * explanation names each of them with its start, the end of its action and of its effect, and says what kind of bug
 * that pattern usually is (after a session expiry: a lock holder that learned of it late, so a lock needs fencing);
 * with no such fault, that the lock itself lets two processes hold it.
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
    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(2);

    private final Duration window;

    private MutualExclusion(Duration window) {
        this.window = window;
    }

    /**
     * The checker, for every lock named in the history: {@code MutualExclusion.of().check(history)}, made and run as
     * every checker is.
     *
     * @return the checker
     */
    public static MutualExclusion of() {
        return new MutualExclusion(DEFAULT_WINDOW);
    }

    /**
     * The same checker, naming in its explanations the faults whose effect ended within {@code window} before an
     * overlap began (2 s unless set; zero names only the faults in force).
     *
     * @param window how long before an overlap a fault's effect may have ended and still explain it
     * @return a new checker; this one is unchanged
     * @throws NullPointerException if window is null
     * @throws IllegalArgumentException if window is negative
     */
    public MutualExclusion faultWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("the fault window must not be negative, got " + window);
        }
        return new MutualExclusion(window);
    }

    /** One process's belief that it held one lock. */
    private record Interval(
            String holder, Event start, @Nullable Event end) {
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
                        return overlap(lock.getKey(), a, b, events, window);
                    }
                }
            }
        }
        return CheckResult.valid(
                NAME, intervals + " holding intervals of " + byLock.size() + " locks never" + " overlap");
    }

    private static CheckResult overlap(String lock, Interval a, Interval b, List<Event> events, Duration window) {
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
        List<Faults.Band> inForce = Faults.inForce(events, from, to);
        List<Faults.Band> before = Faults.endedShortlyBefore(events, from, window);
        inForce.forEach(f -> involved.add(f.start()));
        before.forEach(f -> involved.add(f.start()));
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
        String windowText = String.format(Locale.ROOT, "%.1f s", window.toMillis() / 1000.0);
        if (inForce.isEmpty() && before.isEmpty()) {
            s.append(" No fault was in force, and none ended within ")
                    .append(windowText)
                    .append(" before: the lock itself lets two processes hold it (a check-then-act race, or a holder"
                            + " that never checks that it still holds it).");
        } else {
            if (!inForce.isEmpty()) {
                s.append(" Faults in force: ").append(describe(inForce)).append('.');
            }
            if (!before.isEmpty()) {
                s.append(" Faults whose effect ended within ")
                        .append(windowText)
                        .append(" before: ")
                        .append(describe(before))
                        .append('.');
            }
            Set<String> lessons = new LinkedHashSet<>();
            inForce.forEach(f -> lessons.add(Faults.lockLesson(f.start().description())));
            before.forEach(f -> lessons.add(Faults.lockLesson(f.start().description())));
            s.append(" This is usually ").append(String.join("; or ", lessons)).append('.');
        }
        return CheckResult.invalid(NAME, lock, s.toString(), List.of(), involved);
    }

    private static String describe(List<Faults.Band> bands) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bands.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(bands.get(i).describe());
        }
        return s.toString();
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
