package io.github.zkharness.internal.ensemble;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.internal.DiskControl;
import io.github.zkharness.internal.DiskDamager;
import io.github.zkharness.internal.DiskState;
import io.github.zkharness.internal.DiskState.Disk;
import io.github.zkharness.internal.FaultRecorder;
import io.github.zkharness.internal.NodeThreads;
import io.github.zkharness.internal.PeerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disks of an ensemble's members: hands out each member's {@link DiskState} as a {@link DiskControl}, damages stopped
 * members' files, and turns an exit that ZooKeeper requested because of an injected fault into that node's crash.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Disks {

    private static final Logger LOG = LoggerFactory.getLogger(Disks.class);

    private final Cluster cluster;

    Disks(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The disks of member {@code id}, for {@code ZkDisk} to delegate to. */
    public DiskControl node(int id) {
        member(id);
        return new NodeDisk(id);
    }

    /** Every member's disk faults in force. */
    public List<Fault> faults() {
        List<Fault> all = new ArrayList<>();
        for (NodeRuntime node : cluster.members()) {
            all.addAll(node.disk().faults());
        }
        return all;
    }

    /** Heals every member's disk faults. */
    public void healAll() {
        for (NodeRuntime node : cluster.members()) {
            node.disk().healAll();
        }
    }

    /** What injected disk faults did to every member, oldest first. */
    public List<DiskFailure> failures() {
        List<DiskFailure> all = new ArrayList<>();
        for (NodeRuntime node : cluster.members()) {
            all.addAll(node.disk().failures());
        }
        all.sort(Comparator.comparing(DiskFailure::time));
        return all;
    }

    /**
     * Called on the thread that asked the JVM to exit: when an injected fault failed a write on that thread,
     * records the exit as that node's crash, crashes it in the background as the exit would have, and returns
     * true. False when no fault explains the request: it is then an unexpected exit.
     */
    boolean explainExit(Thread thread, int code, NodeControl control) {
        NodeThreads group = nodeGroup(thread);
        NodeRuntime node = group == null ? null : cluster.member(group.nodeId());
        if (node == null) {
            return false;
        }
        DiskFailure crash = node.disk().explainExit(thread, code);
        if (crash == null) {
            return false;
        }
        LOG.warn("{}: {}", cluster.name(), crash);
        PeerProcess process = node.process();
        Thread crasher = new Thread(
                cluster.threads,
                () -> {
                    synchronized (cluster) {
                        if (cluster.phase != Cluster.Phase.CLOSED
                                && node.process() == process
                                && node.state() == NodeState.RUNNING) {
                            control.shutdown(node, NodeState.KILLED);
                        }
                    }
                },
                cluster.name() + "-crash-node-" + node.id());
        crasher.setDaemon(true);
        crasher.start();
        return true;
    }

    private static NodeThreads nodeGroup(Thread thread) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g instanceof NodeThreads threads) {
                return threads;
            }
        }
        return null;
    }

    /** Damage at rest that {@code node} has not started with yet. */
    static List<DiskDamage> pendingDamage(NodeRuntime node) {
        return node.disk().pendingDamage();
    }

    private NodeRuntime member(int id) {
        cluster.requireOpen();
        NodeRuntime node = cluster.member(id);
        if (node == null) {
            throw new IllegalArgumentException(
                    "no node with id " + id + " in " + cluster.name() + "; ids are " + cluster.nodeIds());
        }
        return node;
    }

    private static void requireDelay(String what, Duration delay, Duration jitter) {
        Objects.requireNonNull(delay, what + " delay must not be null");
        Objects.requireNonNull(jitter, what + " jitter must not be null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException(what + " delay must not be negative, got " + delay.toMillis() + " ms");
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException(what + " jitter must not be negative, got " + jitter.toMillis() + " ms");
        }
    }

    /** The disks of one member, by id: each call acts on the member with that id now. */
    private final class NodeDisk implements DiskControl {
        private final int id;

        NodeDisk(int id) {
            this.id = id;
        }

        private DiskState state() {
            cluster.requireStarted();
            return member(id).disk();
        }

        @Override
        public int nodeId() {
            return id;
        }

        @Override
        public boolean sharesOneDisk() {
            return state().oneDisk();
        }

        @Override
        public Fault slowLog(Duration delay, Duration jitter) {
            requireDelay("slow log", delay, jitter);
            return cluster.faultRecorder().track(state().slow(Disk.LOG, delay, jitter));
        }

        @Override
        public Fault slowSnapshots(Duration delay, Duration jitter) {
            requireDelay("slow snapshot", delay, jitter);
            return cluster.faultRecorder().track(state().slow(Disk.SNAPSHOTS, delay, jitter));
        }

        @Override
        public Fault fullLog() {
            return cluster.faultRecorder().track(state().full(Disk.LOG));
        }

        @Override
        public Fault fullSnapshots() {
            return cluster.faultRecorder().track(state().full(Disk.SNAPSHOTS));
        }

        @Override
        public List<Fault> faults() {
            return state().faults();
        }

        @Override
        public List<DiskFailure> failures() {
            return member(id).disk().failures();
        }

        @Override
        public List<DiskDamage> pendingDamage() {
            return member(id).disk().pendingDamage();
        }

        @Override
        public DiskDamage truncateLogTail() {
            return damage("cut its transaction log", node -> DiskDamager.truncateLogTail(id, node.dataLogDir()));
        }

        @Override
        public DiskDamage corruptLog() {
            return damage("corrupt its transaction log", node -> DiskDamager.corruptLog(id, node.dataLogDir()));
        }

        @Override
        public DiskDamage deleteSnapshot() {
            return damage("delete its snapshot", node -> DiskDamager.deleteSnapshot(id, node.dataDir()));
        }

        @Override
        public DiskDamage corruptSnapshot() {
            return damage("corrupt its snapshot", node -> DiskDamager.corruptSnapshot(id, node.dataDir()));
        }

        private DiskDamage damage(String what, DamageAction action) {
            synchronized (cluster) {
                cluster.requireStarted();
                NodeRuntime node = member(id);
                if (node.state() != NodeState.STOPPED && node.state() != NodeState.KILLED) {
                    throw new IllegalStateException("node " + id + " is " + node.state() + "; only a stopped or"
                            + " killed node's files can be damaged at rest: stop() or kill() it first, then " + what);
                }
                try {
                    FaultRecorder.Band band = cluster.faultRecorder().begin(what + " (node " + id + ")");
                    DiskDamage done;
                    try {
                        done = action.apply(node);
                    } finally {
                        band.endNow(null); // at rest: it acts when the node starts again
                    }
                    node.disk().damaged(done);
                    LOG.info("{}: {}", cluster.name(), done);
                    return done;
                } catch (IOException e) {
                    throw new ZkHarnessException("could not " + what + " on node " + id + ": " + e, e);
                }
            }
        }

        @Override
        public String toString() {
            return "disks of node " + id;
        }
    }

    @FunctionalInterface
    private interface DamageAction {
        DiskDamage apply(NodeRuntime node) throws IOException;
    }

    /** For messages: the files of {@code node} the harness damaged, or its directories. */
    static String damagedFiles(NodeRuntime node) {
        List<DiskDamage> damage = node.disk().pendingDamage();
        if (damage.isEmpty()) {
            Path log = node.dataLogDir();
            return "its files in " + node.dataDir() + (log.equals(node.dataDir()) ? "" : " and " + log);
        }
        List<String> parts = new ArrayList<>();
        for (DiskDamage d : damage) {
            parts.add(d.file() + " (the harness " + d.description() + ")");
        }
        return String.join(", ", parts);
    }
}
