package io.github.zkharness.chaos;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.history.History;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Samples every node's role every 10 ms on a daemon thread of its own and records each change in a history
 * ({@code history.role(id, role)}), for a {@link ChaosRun} that has one. A node the run froze is recorded as
 * {@code FROZEN}, a node that does not run by its state.
 */
final class RoleRecorder {

    private final ZkEnsemble zk;
    private final History history;
    private final Set<Integer> frozen;
    private final Map<Integer, String> lastRoles = new HashMap<>();
    private final Thread thread;

    /** {@code keepGoing} says whether to sample on; the thread ends when it turns false or at {@link #stop()}. */
    RoleRecorder(ZkEnsemble zk, History history, Set<Integer> frozen, long seed, BooleanSupplier keepGoing) {
        this.zk = zk;
        this.history = history;
        this.frozen = frozen;
        this.thread = new Thread(() -> watch(keepGoing), "zk-chaos-roles-" + seed);
        thread.setDaemon(true);
    }

    /** Records the roles now, then every 10 ms. */
    void start() {
        sample();
        thread.start();
    }

    /** Stops sampling (waiting at most 5 s) and records the roles a last time. */
    void stop() {
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sample();
        } catch (RuntimeException e) {
            // closed ensemble
        }
    }

    private void watch(BooleanSupplier keepGoing) {
        while (keepGoing.getAsBoolean()) {
            try {
                sample();
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // the ensemble closed under us: nothing more to watch
                if (zk.isClosed()) {
                    break;
                }
            }
        }
    }

    private synchronized void sample() {
        for (ZkNode n : zk.nodes()) {
            NodeState state = n.state();
            String role = state != NodeState.RUNNING
                    ? state.name()
                    : frozen.contains(n.id()) ? "FROZEN" : n.role().name();
            if (!role.equals(lastRoles.put(n.id(), role))) {
                history.role(n.id(), role);
            }
        }
    }
}
