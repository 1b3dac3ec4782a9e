package io.github.zkharness.chaos;

import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.chaos.ChaosStep.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The held steps of one {@link ChaosRun} that are in force, and their undoing: each held step is undone (its fault
 * healed, or its node restarted) and recorded as done when its hold time is up ({@link #endDue()}); a
 * {@code RECOVER} step and {@code close()} undo every held step and restart every node the run took down
 * ({@link #recover}). A node whose disk the run filled is restarted too if ZooKeeper made it exit, when the step
 * ends or, if it exits after that (over a write that failed before the heal), at the next recovery. Used by the
 * runner thread, then by {@code close()} once the runner ended; not for two threads at once.
 */
final class HeldSteps {

    /** A held step in force: how to undo it, when. */
    private static final class Active {
        final int index;
        final long endNanos;
        final String description;
        final @Nullable Fault fault; // a network fault, or null
        final @Nullable ZkNode downNode; // a node to restart, or null
        final @Nullable Integer cutNode; // a node isolated or frozen: a voter counts as down

        Active(
                int index,
                long endNanos,
                String description,
                @Nullable Fault fault,
                @Nullable ZkNode downNode,
                @Nullable Integer cutNode) {
            this.index = index;
            this.endNanos = endNanos;
            this.description = description;
            this.fault = fault;
            this.downNode = downNode;
            this.cutNode = cutNode;
        }
    }

    private final ZkEnsemble zk;
    private final RunState state;
    private final List<Active> active = new ArrayList<>();

    HeldSteps(ZkEnsemble zk, RunState state) {
        this.zk = zk;
        this.state = state;
    }

    /**
     * Holds a step now in force until its hold time is up, and records it as held: undone by healing {@code fault}
     * or restarting {@code downNode} (either may be null); {@code cutNode}, if not null, is the node it cut off.
     */
    void hold(
            PlannedStep p,
            ChaosStep step,
            String target,
            String description,
            @Nullable Fault fault,
            @Nullable ZkNode downNode,
            @Nullable Integer cutNode) {
        active.add(
                new Active(p.index(), System.nanoTime() + p.hold().toNanos(), description, fault, downNode, cutNode));
        state.held(p, step, target, description);
    }

    /** How many held steps are in force. */
    int size() {
        return active.size();
    }

    /** Whether no held step is in force. */
    boolean isEmpty() {
        return active.isEmpty();
    }

    /** When the first held step in force is due to end ({@link System#nanoTime()}), or {@code ifNone}. */
    long firstEnd(long ifNone) {
        return active.stream().mapToLong(a -> a.endNanos).min().orElse(ifNone);
    }

    /** The nodes the held steps in force cut off (isolated, froze, filled the disk of). */
    List<Integer> cutNodes() {
        List<Integer> cut = new ArrayList<>();
        for (Active a : active) {
            if (a.cutNode != null) {
                cut.add(a.cutNode);
            }
        }
        return cut;
    }

    /** Undoes the held steps whose time is up. */
    void endDue() {
        long now = System.nanoTime();
        for (Active a : List.copyOf(active)) {
            if (a.endNanos <= now) {
                undo(a, "held " + (a.endNanos - startOf(a)) / 1_000_000 + " ms");
            }
        }
    }

    private long startOf(Active a) {
        ChaosStep s = state.step(a.index);
        return state.startNanos() + s.started().toNanos();
    }

    /** Undoes a held step and records it as done. */
    private void undo(Active a, String how) {
        active.remove(a);
        ChaosStep step = state.step(a.index);
        String detail = step.detail();
        try {
            if (a.fault != null) {
                state.doing("healing " + a.fault.description());
                a.fault.heal();
                detail += "; healed";
            }
            if (a.downNode != null) { // both for a slow log and a power loss: the disk healed, then the restart
                state.doing("restarting node " + a.downNode.id());
                detail += restart(a.downNode);
            }
        } catch (RuntimeException e) {
            detail += "; undoing it threw " + e;
            state.failed(step, detail, e);
            return;
        } finally {
            if (a.cutNode != null) {
                state.frozen.remove(a.cutNode);
                state.cutOff.remove(a.cutNode);
            }
        }
        if (a.cutNode != null && state.downByRun.contains(a.cutNode)) {
            ZkNode node = zk.node(a.cutNode); // a full disk may have made ZooKeeper ask to exit: the node crashed
            if (node.state() == NodeState.RUNNING) {
                // a write that failed before the heal may still make ZooKeeper ask to exit: the node stays the run's
                // to restart, at the next recovery (a RECOVER step, close())
                detail += "; node " + node.id() + " is RUNNING";
            } else {
                detail += restart(node);
            }
        }
        state.update(step, Status.DONE, detail + " (" + how + ")");
    }

    /**
     * Restarts a node the run took down; a refusal (a port taken meanwhile) leaves it for the next recovery.
     *
     * @throws ZkStartException if ZooKeeper refused the node's files: a crash (a kill, a power loss) must leave files
     *     a server starts from, so the step that took it down fails with ZooKeeper's reason and the files cut
     */
    String restart(ZkNode node) {
        if (node.state() == NodeState.RUNNING || node.state() == NodeState.REMOVED) {
            state.downByRun.remove(node.id());
            return "; node " + node.id() + " is " + node.state() + " already";
        }
        try {
            node.restart();
            state.downByRun.remove(node.id());
            return "; restarted node " + node.id();
        } catch (ZkStartException e) {
            if (refusedItsData(e)) {
                throw new ZkStartException("a crash must leave files a server starts from, but " + e.getMessage(), e);
            }
            return "; restart of node " + node.id() + " refused (retried at the next recovery): " + e.getMessage();
        }
    }

    /** Whether ZooKeeper refused the node's files (the harness's message for it: see NodeControl.refusedData). */
    private static boolean refusedItsData(ZkStartException e) {
        return e.getMessage() != null && e.getMessage().contains("refused to start: ZooKeeper could not load its data");
    }

    /** Heals everything the run holds and restarts every node it took down. */
    void recover(String why) {
        state.doing("recovering (" + why + ")");
        for (Active a : List.copyOf(active)) {
            undo(a, "ended by " + why);
        }
        for (Integer id : new TreeSet<>(state.downByRun)) {
            ZkNode node = zk.node(id);
            if (node.state() != NodeState.RUNNING && node.state() != NodeState.REMOVED) {
                node.restart();
            }
            state.downByRun.remove(id);
        }
    }
}
