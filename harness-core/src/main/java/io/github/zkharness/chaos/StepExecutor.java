package io.github.zkharness.chaos;

import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.Rate;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkNetwork;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.chaos.ChaosStep.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the planned steps of one {@link ChaosRun}, one at a time on the run's thread: resolves each step's target
 * when it runs (the leader now, a session a server reports), refuses what the safety rules forbid now (more voters
 * down or cut off than {@code maxVotersDown}, a wipe or membership change while a fault is in force or a node is
 * down), applies the kill, stop, restart, wipe, network, disk, session or membership step through the harness's
 * public API, and records how it went. A held step is handed to {@link HeldSteps}, which undoes it; a one-shot step
 * (restart, wipe, session ({@link SessionSteps}), membership, leader move, recover) is done, and waited for, before the next step is drawn.
 */
final class StepExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final Duration WIPE_PRECHECK = Duration.ofSeconds(10);

    private final ZkEnsemble zk;
    private final long seed;
    private final int maxVotersDown;
    private final Duration recoveryTimeout;
    private final SessionSteps sessionSteps;
    private final RunState state;
    private final HeldSteps heldSteps;

    StepExecutor(ZkEnsemble zk, ChaosSchedule schedule, long seed, RunState state, HeldSteps heldSteps) {
        this.zk = zk;
        this.seed = seed;
        this.maxVotersDown = schedule.maxVotersDownOrDefault();
        this.recoveryTimeout = schedule.recoveryTimeout();
        this.sessionSteps = new SessionSteps(zk, schedule.sessions(), state);
        this.state = state;
        this.heldSteps = heldSteps;
    }

    /**
     * What one step came to: held (in force, undone later by {@link HeldSteps}), done, skipped (with the reason it
     * did not apply) or failed (with what the harness threw).
     */
    sealed interface Outcome {
        /** Held and in force: {@link HeldSteps} recorded it. */
        record Held() implements Outcome {}

        /** Done once: what happened. */
        record Done(String detail) implements Outcome {}

        /** Not applied: why it did not apply now. */
        record Skipped(String reason) implements Outcome {}

        /** The harness failed inside the step. */
        record Failed(String detail, Throwable failure) implements Outcome {}
    }

    private static final Outcome HELD = new Outcome.Held();
    private static final Duration MOVE_LEADER_TIMEOUT = Duration.ofSeconds(10);

    /** Runs one step and records its {@link Outcome}; returns it. */
    Outcome apply(PlannedStep p) {
        Duration started = state.since(System.nanoTime());
        ChaosStep step = new ChaosStep(p, p.target(), started, null, Status.HELD, "starting", null);
        state.begin(step);
        Outcome outcome;
        try {
            outcome = execute(p, step);
        } catch (RuntimeException e) {
            outcome = classify(e);
        }
        ChaosStep now = state.step(p.index());
        if (outcome instanceof Outcome.Done done) {
            state.update(now, Status.DONE, done.detail());
        } else if (outcome instanceof Outcome.Skipped skipped) {
            state.update(now, Status.SKIPPED, skipped.reason());
        } else if (outcome instanceof Outcome.Failed failed) {
            LOG.warn("chaos step {} failed (seed {}): {}", p.describe(), seed, failed.detail(), failed.failure());
            state.failed(now, failed.detail(), failed.failure());
        }
        return outcome;
    }

    /**
     * What an exception thrown inside a step means. A skip only for the ensemble's documented refusals of a call
     * that no longer applies (an {@link IllegalStateException} or {@link IllegalArgumentException} of its own, with
     * no cause, while the ensemble runs and the run's thread is not interrupted: the node went down, no node leads,
     * the session is unknown); everything else is a failure: the harness's own timeouts ({@link ZkTimeoutException})
     * and interrupts ({@link ZkInterruptedException}, or any exception while the thread is interrupted), an
     * exception caused by another, anything undocumented.
     */
    private Outcome classify(RuntimeException e) {
        boolean interrupted = Thread.currentThread().isInterrupted();
        if (!interrupted
                && (e instanceof IllegalStateException || e instanceof IllegalArgumentException)
                && e.getCause() == null
                && zk.isRunning()) {
            return new Outcome.Skipped("refused: " + e.getMessage());
        }
        String what = e instanceof ZkTimeoutException
                ? "the harness timed out: "
                : e instanceof ZkInterruptedException || interrupted ? "interrupted: " : "threw ";
        return new Outcome.Failed(what + e, e);
    }

    /** Runs one step; returns what it came to (a held step is recorded as held by {@link HeldSteps}). */
    @SuppressWarnings("NullAway") // a step's node or leader is null only where skipped(...) returned a skip first
    private Outcome execute(PlannedStep p, ChaosStep step) {
        ZkNetwork net = zk.network();
        List<Integer> ids = p.nodes();
        return switch (p.kind()) {
            case KILL, STOP, POWER_LOSS -> {
                ZkNode node = target(p);
                Outcome skip = skipped(node, this::refuseDown);
                if (skip != null) {
                    yield skip;
                }
                String what = switch (p.kind()) {
                    case KILL -> "kill node " + node.id();
                    case POWER_LOSS -> "cut the power of node " + node.id() + " (power-loss seed " + p.pick() + ")";
                    default -> "stop node " + node.id();
                };
                String target = wasRole(node);
                state.downByRun.add(node.id());
                switch (p.kind()) {
                    case KILL -> node.kill();
                    case POWER_LOSS -> node.powerLoss(p.pick());
                    default -> node.stop();
                }
                heldSteps.hold(p, step, target, what, null, node, null);
                yield HELD;
            }
            case RESTART -> {
                ZkNode node = target(p);
                Outcome skip = skipped(node, this::refuseDown);
                if (skip != null) {
                    yield skip;
                }
                yield oneShot(step, node, () -> {
                    state.downByRun.add(node.id());
                    node.stop();
                    return "stopped and" + heldSteps.restart(node).substring(1);
                });
            }
            case WIPE -> wipe(p, step);
            case PARTITION -> {
                Fault f = partition(p.groups());
                held(p, step, p.target(), f, null);
                yield HELD;
            }
            case ISOLATE, FREEZE -> {
                ZkNode node = zk.node(ids.get(0));
                if (node.state() != NodeState.RUNNING) {
                    yield new Outcome.Skipped("node " + node.id() + " is " + node.state());
                }
                Outcome skip = skipped(node, this::refuseDown);
                if (skip != null) {
                    yield skip;
                }
                String target = wasRole(node);
                Fault f = p.kind() == ChaosKind.ISOLATE ? net.isolate(node) : net.freeze(node);
                if (p.kind() == ChaosKind.FREEZE) {
                    state.frozen.add(node.id());
                }
                state.cutOff.add(node.id());
                held(p, step, target, f, node.id());
                yield HELD;
            }
            case ISOLATE_LEADER -> {
                ZkNode leader = zk.findLeader().orElse(null);
                Outcome skip = skipped(leader, this::refuseDown);
                if (skip != null) {
                    yield skip;
                }
                Fault f = net.isolate(leader);
                state.cutOff.add(leader.id());
                held(p, step, "node " + leader.id() + " (leader)", f, leader.id());
                yield HELD;
            }
            case CUT -> {
                held(p, step, p.target(), net.cut(zk.node(ids.get(0)), zk.node(ids.get(1))), null);
                yield HELD;
            }
            case STALL -> {
                held(p, step, p.target(), net.stall(zk.node(ids.get(0)), zk.node(ids.get(1))), null);
                yield HELD;
            }
            case DISCONNECT -> {
                held(p, step, p.target(), net.disconnect(zk.node(ids.get(0)), zk.node(ids.get(1))), null);
                yield HELD;
            }
            case LATENCY -> {
                held(p, step, p.target(), net.latency(zk.node(ids.get(0)), p.latency(), p.jitter()), null);
                yield HELD;
            }
            case BANDWIDTH -> {
                held(
                        p,
                        step,
                        p.target(),
                        net.bandwidth(
                                zk.node(ids.get(0)), zk.node(ids.get(1)), Rate.bytesPerSecond(p.bytesPerSecond())),
                        null);
                yield HELD;
            }
            case CUT_CLIENTS -> {
                held(p, step, p.target(), net.cutClients(zk.node(ids.get(0))), null);
                yield HELD;
            }
            case EXPIRE_SESSION, DROP_CONNECTION -> sessionSteps.apply(p, step);
            case SLOW_LOG_POWER_LOSS -> slowLogPowerLoss(p, step);
            case SLOW_LOG -> {
                ZkNode node = zk.node(ids.get(0));
                held(p, step, p.target(), node.disk().slowLog(p.latency(), p.jitter()), null);
                yield HELD;
            }
            case FULL_LOG -> {
                ZkNode node = zk.node(ids.get(0));
                if (node.state() != NodeState.RUNNING) {
                    yield new Outcome.Skipped("node " + node.id() + " is " + node.state());
                }
                Outcome skip = skipped(node, this::refuseDown);
                if (skip != null) {
                    yield skip;
                }
                Fault f = node.disk().fullLog();
                state.cutOff.add(node.id());
                state.downByRun.add(node.id()); // restarted at the end if ZooKeeper asked to exit over the full disk
                held(p, step, wasRole(node), f, node.id());
                yield HELD;
            }
            case MEMBERSHIP -> membership();
            case MOVE_LEADER -> moveLeader(p, step);
            case RECOVER -> {
                heldSteps.recover("step #" + p.index());
                state.doing("awaiting every node serving");
                zk.awaitServing(recoveryTimeout);
                yield new Outcome.Done("every node serves: " + zk.describe());
            }
        };
    }

    /**
     * Slows a node's log flushes, and after the drawn time, while they are slowed, cuts the power of that node or of
     * the leader; held until the slow disk is healed and the crashed node restarted.
     */
    @SuppressWarnings("NullAway") // the crashed node is null only where skipped(...) returned a skip first
    private Outcome slowLogPowerLoss(PlannedStep p, ChaosStep step) {
        ZkNode slowed = zk.node(p.nodes().get(0));
        if (slowed.state() != NodeState.RUNNING) {
            return new Outcome.Skipped("node " + slowed.id() + " is " + slowed.state());
        }
        ZkNode crashed = p.leader() ? zk.findLeader().orElse(null) : slowed;
        Outcome skip = skipped(crashed, this::refuseDown);
        if (skip != null) {
            return skip;
        }
        Fault slow = slowed.disk().slowLog(p.latency(), Duration.ZERO);
        String what = "flushes of node " + slowed.id() + " " + p.latency().toMillis() + " ms slower; after "
                + p.crashAfter().toMillis() + " ms, with a flush held, cut the power of node " + crashed.id()
                + " (power-loss seed " + p.pick() + ")";
        try {
            state.doing(what);
            try {
                Thread.sleep(p.crashAfter().toMillis()); // the drawn moment of the crash, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZkInterruptedException("interrupted while the log of node " + slowed.id() + " was slowed", e);
            }
            String why = refuseDown(crashed); // the run's own thread is the only one to take nodes down meanwhile
            if (why != null) {
                slow.heal();
                return new Outcome.Skipped(why);
            }
            String target = wasRole(crashed);
            state.downByRun.add(crashed.id());
            crashed.powerLoss(p.pick());
            heldSteps.hold(p, step, target, what, slow, crashed, null);
            return HELD;
        } catch (RuntimeException e) {
            slow.heal();
            throw e;
        }
    }

    /** The node a node-control step targets now: the leader (null if none) or its drawn node. */
    private @Nullable ZkNode target(PlannedStep p) {
        if (p.leader()) {
            return zk.findLeader().orElse(null);
        }
        return zk.node(p.nodes().get(0));
    }

    /**
     * The outcome of a step that cannot act on {@code node} now: skipped, and why ({@code node} null: no node leads
     * now; otherwise {@code refusal}'s reason), or null when it may.
     */
    private static @Nullable Outcome skipped(@Nullable ZkNode node, Function<ZkNode, @Nullable String> refusal) {
        if (node == null) {
            return new Outcome.Skipped("no node leads now");
        }
        String why = refusal.apply(node);
        return why == null ? null : new Outcome.Skipped(why);
    }

    /** How a step names its node in the record: {@code node 2 (was FOLLOWER)}. */
    private static String wasRole(ZkNode node) {
        return "node " + node.id() + " (was " + node.role() + ")";
    }

    /** A one-shot step on {@code node}: recorded as acting on it; done with what {@code action} returns. */
    private Outcome oneShot(ChaosStep step, ZkNode node, Supplier<String> action) {
        state.retarget(step, wasRole(node));
        return new Outcome.Done(action.get());
    }

    /** Why taking {@code node} down (or cutting it off) is not allowed now, or null. */
    private @Nullable String refuseDown(ZkNode node) {
        if (node.state() != NodeState.RUNNING) {
            return "node " + node.id() + " is " + node.state() + " already";
        }
        if (state.cutOff.contains(node.id())) {
            return "node " + node.id() + " is cut off by this run already";
        }
        if (node.isVoter()) {
            Set<Integer> down = votersDown();
            if (down.size() + 1 > maxVotersDown) {
                return "voters " + down + " are down or cut off and at most " + maxVotersDown + " may be";
            }
        }
        return null;
    }

    /** Voters not running, or isolated or frozen by this run. */
    private Set<Integer> votersDown() {
        Set<Integer> down = new TreeSet<>();
        for (ZkNode v : zk.voters()) {
            if (v.state() != NodeState.RUNNING) {
                down.add(v.id());
            }
        }
        for (Integer id : heldSteps.cutNodes()) {
            if (zk.node(id).isVoter()) {
                down.add(id);
            }
        }
        return down;
    }

    @SuppressWarnings("NullAway") // the node is null only where skipped(...) returned a skip first
    private Outcome wipe(PlannedStep p, ChaosStep step) {
        ZkNode node = target(p);
        Outcome skip = skipped(node, this::wipeRefusal);
        if (skip != null) {
            return skip;
        }
        return oneShot(step, node, () -> {
            state.downByRun.add(node.id());
            node.wipe();
            state.downByRun.remove(node.id());
            state.doing("awaiting wiped node " + node.id() + " serving");
            node.awaitServing(recoveryTimeout); // nothing else happens until it has its data back
            return "wiped node " + node.id() + "; it serves again";
        });
    }

    /**
     * Hands the leadership to the drawn voter; skipped when it cannot lead now, or when restarting the leader would
     * take more voters down than allowed.
     */
    private Outcome moveLeader(PlannedStep p, ChaosStep step) {
        ZkNode node = zk.node(p.nodes().get(0));
        if (!node.isVoter()) {
            return new Outcome.Skipped("node " + node.id() + " is an observer: only a voter can lead");
        }
        String down = refuseDown(node);
        if (down != null) {
            return new Outcome.Skipped(down);
        }
        ZkNode leader = zk.findLeader().orElse(null);
        if (leader == null) {
            return new Outcome.Skipped("no node leads now");
        }
        if (leader.id() == node.id()) {
            return new Outcome.Skipped("node " + node.id() + " leads already");
        }
        try {
            return oneShot(step, node, () -> {
                zk.moveLeader(node, MOVE_LEADER_TIMEOUT);
                return "moved the leadership from node " + leader.id() + " to node " + node.id();
            });
        } catch (ZkTimeoutException | IllegalStateException e) {
            return new Outcome.Skipped("the leadership did not move to node " + node.id() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** Adds an observer and removes it again, on a healthy ensemble only. */
    private Outcome membership() {
        List<Integer> notRunning = nodesNotRunning();
        if (!heldSteps.isEmpty() || !notRunning.isEmpty()) {
            return new Outcome.Skipped("membership changes run only when every node runs and no fault is in force; "
                    + heldSteps.size() + " faults in force, nodes " + notRunning + " down");
        }
        ZkNode added = zk.addObserver();
        zk.remove(added);
        return new Outcome.Done("added observer " + added.id() + " and removed it");
    }

    /**
     * Why wiping {@code node} is not allowed now, or null. The same rules for voters and observers: the run waits
     * until the wiped node has resynced, which it cannot do while a fault of the run (held by this very thread)
     * keeps it or the quorum apart; and ZooKeeper assumes disks survive, so a voter wiped into a quorum without the
     * newest writes loses acknowledged writes (its contract, not a bug).
     */
    private @Nullable String wipeRefusal(ZkNode node) {
        List<String> reasons = new ArrayList<>();
        if (!heldSteps.isEmpty()) {
            reasons.add(heldSteps.size() + " faults of this run are in force");
        }
        List<Integer> notRunning = nodesNotRunning();
        if (!notRunning.isEmpty()) {
            reasons.add("nodes " + notRunning + " are down");
        }
        if (!reasons.isEmpty()) {
            return "a node is wiped only when every node runs and no fault is in force; " + String.join(", ", reasons);
        }
        if (node.isVoter() && maxVotersDown < 1) {
            return "maxVotersDown is 0";
        }
        try {
            zk.awaitServing(WIPE_PRECHECK);
        } catch (RuntimeException e) {
            return "a node is wiped only when the ensemble serves; it did not within " + WIPE_PRECHECK.toSeconds()
                    + " s";
        }
        return null;
    }

    /** The ids of the nodes that do not run now. */
    private List<Integer> nodesNotRunning() {
        return zk.nodes().stream()
                .filter(n -> n.state() != NodeState.RUNNING)
                .map(ZkNode::id)
                .toList();
    }

    /** Records a network fault as held until its hold time is up. */
    private void held(PlannedStep p, ChaosStep step, String target, Fault fault, @Nullable Integer cutNode) {
        heldSteps.hold(p, step, target, fault.description(), fault, null, cutNode);
    }

    /** The planned groups of ids as the public API takes them: groups of node handles. */
    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array for the varargs of partition
    private Fault partition(List<Set<Integer>> groups) {
        Collection<ZkNode>[] sides = new Collection[groups.size()];
        for (int i = 0; i < sides.length; i++) {
            sides[i] = groups.get(i).stream().map(zk::node).toList();
        }
        return zk.network().partition(sides);
    }
}
