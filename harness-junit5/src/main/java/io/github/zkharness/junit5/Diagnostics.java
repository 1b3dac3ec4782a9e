package io.github.zkharness.junit5;

import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.NodeStatus;
import io.github.zkharness.Role;
import io.github.zkharness.ThreadFailure;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes down an ensemble's state when a test fails: what {@link ZkClusterDiagnostics} carries. */
final class Diagnostics {

    /** All nodes are asked at once; whatever has not answered by then is reported as such. */
    private static final long STATS_BUDGET_MS = 5_000;

    private Diagnostics() {}

    /** The state of {@code ensemble} now, for {@code what} (e.g. "x.FooTests#bar() failed"). */
    static String describe(ZkEnsemble ensemble, String what) {
        // first what is there now, before asking the servers anything (which they would log)
        List<ZkNode> nodes = ensemble.nodes();
        List<NodeStatus> statuses = ensemble.status();
        List<Fault> faults = faults(ensemble, nodes);
        Map<Integer, List<String>> logs = NodeLogs.lines(ensemble.name());
        Map<Integer, CompletableFuture<String>> stats = new LinkedHashMap<>();
        for (ZkNode node : nodes) {
            if (node.state() == NodeState.RUNNING) {
                stats.put(node.id(), CompletableFuture.supplyAsync(() -> stats(node, nodes), Diagnostics::daemon));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATS_BUDGET_MS);
        StringBuilder out = new StringBuilder();
        out.append(ensemble.name()).append(" when ").append(what).append(':');
        ensemble.preferredLeader()
                .ifPresent(node -> out.append("\n  preferred leader: node ").append(node.id()));
        for (NodeStatus s : statuses) {
            out.append("\n  node ")
                    .append(s.id())
                    .append(": ")
                    .append(s.role())
                    .append(", ")
                    .append(s.state());
            if (s.state() == NodeState.RUNNING) {
                out.append(s.serving() ? ", serving" : ", not serving");
            }
            if (!s.voter()) {
                out.append(", observer");
            }
            out.append(", last zxid 0x").append(Long.toHexString(s.lastZxid()));
            out.append(", ZooKeeper ").append(s.version());
            CompletableFuture<String> answer = stats.get(s.id());
            if (answer != null) {
                out.append("\n    stats: ").append(await(answer, deadline));
            }
            appendThreadDeaths(out, s.threadDeaths());
            appendDiskFailures(out, s.diskFailures());
        }
        out.append("\n  faults:");
        if (faults.isEmpty()) {
            out.append(" none");
        }
        for (Fault f : faults) {
            out.append("\n    - ").append(f.description());
        }
        String unavailable = NodeLogs.unavailableReason();
        if (unavailable != null) {
            out.append("\n  log lines: not kept (").append(unavailable).append(')');
        } else {
            for (ZkNode node : nodes) {
                List<String> lines = logs.getOrDefault(node.id(), List.of());
                out.append("\n  last ")
                        .append(lines.size())
                        .append(" log lines of node ")
                        .append(node.id())
                        .append(lines.isEmpty() ? " (none at the configured levels)" : ":");
                for (String line : lines) {
                    out.append("\n    ").append(line);
                }
            }
        }
        return out.toString();
    }

    /**
     * Every death of one of the node's threads since the ensemble was built (ZooKeeper only logs them):
     * {@code thread died 12:00:01.234Z: thread WorkerSender[myid=3] died of NullPointerException at
     * QuorumCnxManager.connectOne; this node can no longer send election votes}, then the exception and its top
     * frames.
     */
    static void appendThreadDeaths(StringBuilder out, List<ThreadFailure> deaths) {
        for (ThreadFailure death : deaths) {
            out.append("\n    thread died ")
                    .append(death.time())
                    .append(": ")
                    .append(death.describe())
                    .append("\n      ")
                    .append(death.error());
            for (StackTraceElement frame : death.topFrames()) {
                out.append("\n        at ").append(frame);
            }
        }
    }

    /**
     * What injected disk faults did during the node's current (or last) run: {@code disk 12:00:01.234Z:
     * transaction log append failed: No space left on device on SyncThread:2 (full log disk of node 2: ...); its
     * SyncThread ends, ...}.
     */
    static void appendDiskFailures(StringBuilder out, List<DiskFailure> failures) {
        for (DiskFailure failure : failures) {
            out.append("\n    disk ").append(failure.time()).append(": ").append(failure.describe());
        }
    }

    /** The network's faults, then each node's disk's. */
    private static List<Fault> faults(ZkEnsemble ensemble, List<ZkNode> nodes) {
        List<Fault> faults = new ArrayList<>();
        try {
            faults.addAll(ensemble.network().faults());
            for (ZkNode node : nodes) {
                faults.addAll(node.disk().faults());
            }
        } catch (RuntimeException e) {
            // a closed ensemble: what was collected
        }
        return faults;
    }

    /**
     * The essentials {@code mntr} would show, on one line: {@code zk_server_state=leader zk_znode_count=5
     * zk_outstanding_requests=0 zk_followers=2 zk_synced_followers=2}. They are not read from {@code mntr}:
     * ZooKeeper registers mntr's gauges in one JVM-wide registry, so with several servers in one JVM it shows the
     * gauges of whichever server registered last, and a server's shutdown removes them for all. The state, znode
     * count and outstanding requests come from the server's own {@code srvr} answer; the leader's follower counts
     * from the harness (voters following now, and those of them serving).
     */
    static String stats(ZkNode node, List<ZkNode> nodes) {
        String answer;
        try {
            answer = node.fourLetterWord("srvr");
        } catch (RuntimeException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : answer.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        String mode = values.get("Mode");
        if (mode == null) {
            return "not serving (" + answer.trim() + ")";
        }
        StringBuilder line = new StringBuilder("zk_server_state=")
                .append(mode)
                .append(" zk_znode_count=")
                .append(values.getOrDefault("Node count", "?"))
                .append(" zk_outstanding_requests=")
                .append(values.getOrDefault("Outstanding", "?"));
        if (mode.equals("leader")) {
            List<ZkNode> following =
                    nodes.stream().filter(n -> n.role() == Role.FOLLOWER).toList();
            line.append(" zk_followers=")
                    .append(following.size())
                    .append(" zk_synced_followers=")
                    .append(following.stream().filter(ZkNode::isServing).count());
            List<ZkNode> observing =
                    nodes.stream().filter(n -> n.role() == Role.OBSERVER).toList();
            if (nodes.stream().anyMatch(n -> !n.isVoter())) {
                line.append(" zk_synced_observers=")
                        .append(observing.stream().filter(ZkNode::isServing).count());
            }
        }
        return line.toString();
    }

    private static String await(CompletableFuture<String> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + STATS_BUDGET_MS + " ms";
        } catch (ExecutionException e) {
            return "unavailable (" + e.getCause() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not asked (interrupted)";
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "zk-harness-diagnostics");
        t.setDaemon(true);
        t.start();
    }
}
