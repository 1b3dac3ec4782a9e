package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * One step of a schedule as drawn from the seed, before it runs: its kind, its target as far as the seed decides it
 * ("the leader" is resolved only when the step runs), how long it is held and the pause after it. The same seed and
 * options give equal planned steps ({@link #equals}) on any JVM.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PlannedStep {

    private final int index;
    private final ChaosKind kind;
    private final boolean leader;
    private final List<Integer> nodes;
    private final List<Set<Integer>> groups;
    private final Duration hold;
    private final Duration pause;
    private final Duration latency;
    private final Duration jitter;
    private final long bytesPerSecond;
    private final Duration crashAfter;
    private final int pick;

    PlannedStep(
            int index,
            ChaosKind kind,
            boolean leader,
            List<Integer> nodes,
            List<Set<Integer>> groups,
            Duration hold,
            Duration pause,
            Duration latency,
            Duration jitter,
            long bytesPerSecond,
            Duration crashAfter,
            int pick) {
        this.index = index;
        this.kind = kind;
        this.leader = leader;
        this.nodes = List.copyOf(nodes);
        this.groups = groups.stream().map(Set::copyOf).toList();
        this.hold = hold;
        this.pause = pause;
        this.latency = latency;
        this.jitter = jitter;
        this.bytesPerSecond = bytesPerSecond;
        this.crashAfter = crashAfter;
        this.pick = pick;
    }

    /**
     * Its number in the schedule, from 1.
     *
     * @return its number in the schedule, from 1
     */
    public int index() {
        return index;
    }

    /**
     * What it does.
     *
     * @return what it does
     */
    public ChaosKind kind() {
        return kind;
    }

    /**
     * Its target as the seed decides it: {@code "leader"} (whichever node leads when it runs), {@code "node 2"},
     * {@code "1,2|3"} (partition groups), {@code "2->3"}, {@code "2<->3"}, {@code "a session"}, or {@code "-"}.
     *
     * @return the planned target
     */
    public String target() {
        return switch (kind) {
            case KILL, STOP, RESTART, WIPE, POWER_LOSS -> leader ? "leader" : "node " + nodes.get(0);
            case ISOLATE_LEADER -> "leader";
            case PARTITION ->
                groups.stream()
                        .map(g -> g.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")))
                        .collect(Collectors.joining("|"));
            case ISOLATE, FREEZE, CUT_CLIENTS, LATENCY, SLOW_LOG, FULL_LOG, MOVE_LEADER -> "node " + nodes.get(0);
            case SLOW_LOG_POWER_LOSS -> "node " + nodes.get(0) + (leader ? ", then the leader" : "");
            case MEMBERSHIP -> "a new observer";
            case CUT -> nodes.get(0) + "->" + nodes.get(1);
            case STALL, DISCONNECT, BANDWIDTH -> nodes.get(0) + "<->" + nodes.get(1);
            case EXPIRE_SESSION, DROP_CONNECTION -> "a session (pick " + pick + ")";
            case RECOVER -> "-";
        };
    }

    /**
     * How long a held step is held before it is undone; zero for the others.
     *
     * @return how long a held step is held before it is undone; zero for the others
     */
    public Duration hold() {
        return hold;
    }

    /**
     * The pause after this step before the next one starts.
     *
     * @return the pause after this step before the next one starts
     */
    public Duration pause() {
        return pause;
    }

    boolean leader() {
        return leader;
    }

    List<Integer> nodes() {
        return nodes;
    }

    List<Set<Integer>> groups() {
        return groups;
    }

    Duration latency() {
        return latency;
    }

    Duration jitter() {
        return jitter;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** For {@link ChaosKind#SLOW_LOG_POWER_LOSS}: how long the log is slowed before the power goes. */
    Duration crashAfter() {
        return crashAfter;
    }

    int pick() {
        return pick;
    }

    /**
     * For example {@code #3 partition 1,2|3, hold 1200 ms, pause 400 ms}.
     *
     * @return for example {@code #3 partition 1,2|3, hold 1200 ms, pause 400 ms}
     */
    public String describe() {
        String what = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + target();
        if (kind == ChaosKind.LATENCY) {
            what += " " + latency.toMillis() + " ms +" + jitter.toMillis() + " ms";
        } else if (kind == ChaosKind.SLOW_LOG_POWER_LOSS) {
            what += " " + latency.toMillis() + " ms, power loss after " + crashAfter.toMillis() + " ms";
        } else if (kind == ChaosKind.BANDWIDTH) {
            what += " " + bytesPerSecond / 1024 + " KiB/s";
        }
        return "#" + index + " " + what + (kind.isHeld() ? ", hold " + hold.toMillis() + " ms" : "") + ", pause "
                + pause.toMillis() + " ms";
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedStep p
                && index == p.index
                && kind == p.kind
                && leader == p.leader
                && nodes.equals(p.nodes)
                && groups.equals(p.groups)
                && hold.equals(p.hold)
                && pause.equals(p.pause)
                && latency.equals(p.latency)
                && jitter.equals(p.jitter)
                && bytesPerSecond == p.bytesPerSecond
                && crashAfter.equals(p.crashAfter)
                && pick == p.pick;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                index, kind, leader, nodes, groups, hold, pause, latency, jitter, bytesPerSecond, crashAfter, pick);
    }
}
