package io.github.zkharness.internal.ensemble;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.NodeState;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkRuntime;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.internal.FaultRecorder;
import io.github.zkharness.internal.PeerLinks;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.internal.ServerCode;
import io.github.zkharness.internal.ServerVersion;
import io.github.zkharness.internal.UnsyncedTail;
import io.github.zkharness.internal.security.EnsembleSasl;
import io.github.zkharness.internal.security.EnsembleTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;
import org.apache.commons.io.FileUtils;
import org.apiguardian.api.API;

/**
 * Starting and stopping one peer: binding its client port behind its link, building its peer from the shared
 * view, and stop, kill, restart and wipe. Every public method holds the ensemble's lock.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NodeControl {

    static final Duration SHUTDOWN_JOIN = Duration.ofSeconds(10);

    private final Cluster cluster;
    private final PeerDialer dialer;
    private final SideBySideLoading loading;

    NodeControl(Cluster cluster) {
        this.cluster = cluster;
        this.dialer = new PeerDialer(cluster);
        this.loading = new SideBySideLoading(cluster);
    }

    /**
     * Stops ({@link NodeState#STOPPED}) or kills ({@link NodeState#KILLED}) a running member.
     *
     * @throws IllegalStateException if it does not run
     */
    public void stop(NodeRuntime node, NodeState how) {
        synchronized (cluster) {
            cluster.requireOpen();
            if (node.state() != NodeState.RUNNING) {
                throw new IllegalStateException("node " + node.id() + " is " + node.state()
                        + "; only a running node can be " + (how == NodeState.KILLED ? "killed" : "stopped"));
            }
            cluster.faultRecorder()
                    .nodeDown(node.id(), (how == NodeState.KILLED ? "kill" : "stop") + " node " + node.id());
            shutdown(node, how);
        }
    }

    /**
     * Kills a running member ({@link NodeState#KILLED}), then takes back what its log files got since their last
     * sync, but for what {@code survival} lets survive (null: nothing), and the snapshots not forced it wrote since
     * the last sync, but for what {@code snapshotSurvival} lets survive (null: nothing). Records each cut as damage
     * at rest.
     *
     * @throws IllegalStateException if it does not run
     */
    public void powerLoss(NodeRuntime node, Random survival, Random snapshotSurvival) {
        synchronized (cluster) {
            cluster.requireOpen();
            if (node.state() != NodeState.RUNNING) {
                throw new IllegalStateException(
                        "node " + node.id() + " is " + node.state() + "; only a running node can lose power");
            }
            cluster.faultRecorder().nodeDown(node.id(), "kill node " + node.id() + " (power loss)");
            PeerProcess process = node.process;
            shutdown(node, NodeState.KILLED);
            try {
                for (UnsyncedTail.Cut cut : process.losePower(survival, snapshotSurvival)) {
                    node.disk().damaged(new DiskDamage(node.id(), cut.file().toPath(), cut.description()));
                }
            } catch (IOException e) {
                throw new ZkHarnessException(
                        "node " + node.id() + " lost power but its unsynced files could not be cut: " + e, e);
            }
        }
    }

    /**
     * Starts a stopped or killed member again, on its ports and data.
     *
     * @throws IllegalStateException if it runs or was removed
     */
    public void restart(NodeRuntime node) {
        synchronized (cluster) {
            cluster.requireStarted();
            requireMember(node, "restarted");
            if (node.state() == NodeState.RUNNING) {
                throw new IllegalStateException(
                        "node " + node.id() + " is running; stop() or kill() it before restart()");
            }
            // a node taken down while recording ends its band; one taken down before gets a band of its own
            FaultRecorder.Band band =
                    recorder().isDown(node.id()) ? null : recorder().begin("restart node " + node.id());
            startAgain(node);
            if (band != null) {
                band.endNow(() -> cluster.serves(node.id()));
            } else {
                recorder().nodeUp(node.id(), () -> cluster.serves(node.id()));
            }
            // after stop(), restarting nodes one by one brings the ensemble back too
            cluster.phase = Cluster.Phase.RUNNING;
        }
    }

    /**
     * Stops a running member and starts it again on ZooKeeper {@code version}, with the same id, ports and data.
     *
     * @throws IllegalStateException if it does not run, was removed, or {@code version}'s jars are missing (then
     *     before it is stopped)
     */
    public void upgrade(NodeRuntime node, ServerVersion version) {
        synchronized (cluster) {
            cluster.requireStarted();
            requireMember(node, "upgraded");
            if (node.state() != NodeState.RUNNING) {
                throw new IllegalStateException("node " + node.id() + " is " + node.state() + "; only a running node"
                        + " can be upgraded (it is stopped and started again on the other version): restart() it"
                        + " first");
            }
            ServerCode code = ServerCode.of(version, cluster.config.runtime() == ZkRuntime.ISOLATED);
            FaultRecorder.Band band = recorder()
                    .begin("upgrade node " + node.id() + " from ZooKeeper " + node.version() + " to "
                            + version.version());
            shutdown(node, NodeState.STOPPED);
            node.code = code;
            startAgain(node);
            recorder().version(node.id(), node.version());
            band.endNow(() -> cluster.serves(node.id()));
        }
    }

    /** Kills a member if it runs, deletes its data and log, and starts it empty. */
    public void wipe(NodeRuntime node) {
        synchronized (cluster) {
            cluster.requireStarted();
            requireMember(node, "wiped");
            FaultRecorder.Band band = recorder().begin("wipe node " + node.id());
            if (node.state() == NodeState.RUNNING) {
                shutdown(node, NodeState.KILLED);
            }
            try {
                FileUtils.deleteDirectory(node.dataDir().toFile());
                if (!node.dataLogDir().equals(node.dataDir())) {
                    FileUtils.deleteDirectory(node.dataLogDir().toFile());
                }
                node.createDirectories();
            } catch (IOException e) {
                throw new ZkHarnessException("could not wipe the data of node " + node.id() + ": " + e, e);
            }
            node.forgetData();
            startAgain(node);
            recorder().nodeUp(node.id(), () -> cluster.serves(node.id())); // down before the wipe: up again
            band.endNow(() -> cluster.serves(node.id())); // its data back from the others
        }
    }

    private FaultRecorder recorder() {
        return cluster.faultRecorder();
    }

    private void requireMember(NodeRuntime node, String what) {
        if (node.state() == NodeState.REMOVED || cluster.member(node.id()) != node) {
            throw new IllegalStateException("node " + node.id() + " was removed from the ensemble and cannot be " + what
                    + "; addObserver() or addVoter() brings a new node");
        }
    }

    // ------------------------------------------------------------------------------ used by the other parts

    void shutdown(NodeRuntime node, NodeState how) {
        PeerProcess process = node.process;
        node.remember(process);
        PeerLinks links = cluster.links;
        if (how == NodeState.KILLED) {
            process.crash(); // from this instant nothing more reaches its files
        }
        if (how == NodeState.KILLED && links != null) {
            links.crash(node.id(), () -> process.shutdown(SHUTDOWN_JOIN));
        } else {
            process.shutdown(SHUTDOWN_JOIN);
        }
        node.stopped(how);
    }

    /** Shuts down every member that has a peer, gracefully. */
    void shutdownAll() {
        for (NodeRuntime node : cluster.members()) {
            PeerProcess process = node.process;
            if (process != null) {
                node.remember(process);
                process.shutdown(SHUTDOWN_JOIN);
                node.stopped(NodeState.STOPPED);
            }
        }
    }

    /**
     * How long a restart waits for its own ports: the listener threads of the peer that just stopped close their
     * sockets a moment after {@code shutdown()} returns.
     */
    private static final Duration OWN_PORTS_RELEASE = Duration.ofSeconds(5);

    /**
     * Starts members that ran before side by side, as a first start does: on the isolated runtime each loads its
     * classes afresh, and one after the other the last ones would miss the election of the first (with equal data
     * the highest id leads only if it is in election when the others are). On failure, shuts down what it bound.
     */
    void startAgainTogether(List<NodeRuntime> nodes) {
        try {
            for (NodeRuntime node : nodes) {
                awaitOwnPorts(node);
            }
            bindClientPorts(nodes, node -> cluster.links != null ? 0 : node.realClientPort);
            startPeers(nodes);
        } catch (IOException | RuntimeException e) {
            for (NodeRuntime node : nodes) {
                if (node.process != null && node.state() != NodeState.RUNNING) {
                    node.process.shutdown(SHUTDOWN_JOIN);
                }
            }
            if (e instanceof ZkStartException start) {
                throw start;
            }
            throw new ZkStartException(
                    "nodes " + nodes.stream().map(n -> String.valueOf(n.id())).toList() + " could not start: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Starts a member that ran before: its quorum and election ports must be free (again). */
    void startAgain(NodeRuntime node) {
        awaitOwnPorts(node);
        try {
            // with links the server may take any port: clients keep the link's address
            bindClientPort(node, cluster.links != null ? 0 : node.realClientPort);
            try {
                startPeer(node);
            } catch (IOException | RuntimeException e) {
                node.process.shutdown(SHUTDOWN_JOIN); // no client port left bound by a peer that never ran
                ZkStartException refused = refusedData(node, e);
                if (refused != null) {
                    throw refused;
                }
                throw e;
            }
        } catch (IOException e) {
            throw new ZkStartException("node " + node.id() + " could not start: " + e.getMessage(), e);
        }
    }

    /** Waits (bounded) until the quorum and election ports of {@code node}'s last run are free again. */
    private void awaitOwnPorts(NodeRuntime node) {
        node.portConflict = null;
        for (int port : new int[] {node.quorumPort, node.electionPort}) {
            long deadline = System.nanoTime() + OWN_PORTS_RELEASE.toNanos();
            while (!Ports.isFree(port) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(5_000_000L); // the stopped peer's listener is still closing it
                if (Thread.currentThread().isInterrupted()) {
                    throw new ZkInterruptedException(
                            "interrupted while node " + node.id() + " waited for its port " + port + " to be released");
                }
            }
            if (!Ports.isFree(port)) {
                throw new ZkStartException(
                        "node " + node.id() + " cannot restart: its port " + port
                                + " is still taken by another socket after " + OWN_PORTS_RELEASE.toSeconds()
                                + " s. ZooKeeper peers keep their quorum and election ports for"
                                + " life (every peer's view lists them); free that port",
                        null);
            }
        }
    }

    /**
     * When ZooKeeper could not load {@code node}'s data: {@code QuorumPeer.start} wraps the IOException of an unreadable
     * file in a RuntimeException, and ZooKeeper 3.9 throws an IllegalStateException from {@code loadDataBase} for a gap
     * in the log ("Committed proposal cached out of order"). An exception naming the node, its damaged files and
     * ZooKeeper's own reason.
     */
    private static ZkStartException refusedData(NodeRuntime node, Exception e) {
        String reason;
        if (e instanceof RuntimeException && e.getCause() instanceof IOException io) {
            reason = String.valueOf(e.getMessage()).trim() + ": " + io.getMessage();
        } else if (e instanceof IllegalStateException && loadingData(e)) {
            reason = String.valueOf(e.getMessage()).trim();
        } else {
            return null;
        }
        return new ZkStartException(
                "node " + node.id() + " refused to start: ZooKeeper could not load its data (" + reason + ") from "
                        + Disks.damagedFiles(node) + ". wipe() starts it empty and the ensemble resyncs it",
                e);
    }

    /** Whether {@code e} was thrown while ZooKeeper loaded its database from its files. */
    private static boolean loadingData(Exception e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getMethodName().equals("loadDataBase")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Binds the client port of {@code node}'s next run ({@code 0} = any free port) and points its client link
     * there. Clients use the link's address, which stays the same across restarts; without links they use the
     * server's own port, which a restart binds again.
     */
    void bindClientPort(NodeRuntime node, int port) throws IOException {
        bindClientPort(node, port, null);
    }

    /**
     * Binds the client port of each of {@code nodes}, on the port {@code port} gives for it, as
     * {@link #bindClientPort} does. Those on the isolated runtime first get their class loaders made and warmed side by
     * side ({@link SideBySideLoading#loadTogether}): one after the other, as each bind made its own, the first cold loader's work ran
     * on one core while the others waited for it.
     */
    void bindClientPorts(List<NodeRuntime> nodes, ToIntFunction<NodeRuntime> port) throws IOException {
        Map<NodeRuntime, ServerCode.Run> loaded = loading.loadTogether(nodes);
        try {
            for (NodeRuntime node : nodes) {
                bindClientPort(node, port.applyAsInt(node), loaded.remove(node));
            }
        } finally {
            loaded.forEach((node, run) -> run.retire(node.threads())); // a bind before failed: never used
        }
    }

    private void bindClientPort(NodeRuntime node, int port, ServerCode.Run loaded) throws IOException {
        EnsembleTls tls = cluster.tls;
        EnsembleSasl sasl = cluster.sasl;
        node.process = PeerProcess.bind(
                node.id(),
                new InetSocketAddress(Cluster.loopback(), port),
                cluster.config.settingsFor(node.id()),
                node.threads(),
                node.code,
                loaded,
                tls == null ? null : new PeerProcess.ClientTls(tls.plainClientPort(), tls.fourLetterWordSockets()),
                sasl == null || sasl.users().isEmpty() ? null : sasl.serverSection());
        InetSocketAddress real = node.process.boundClientAddress();
        node.realClientPort = real.getPort();
        PeerLinks links = cluster.links;
        try {
            node.publicClientAddress =
                    links != null ? links.clientLink(node.id(), real).listenAddress() : real;
        } catch (RuntimeException e) {
            node.process.shutdown(SHUTDOWN_JOIN);
            throw e;
        }
    }

    /** Builds the peer of {@code node}'s bound process from the current view and starts it. */
    void startPeer(NodeRuntime node) throws IOException {
        EnsembleConfig config = cluster.config;
        PeerProcess.Spec spec = new PeerProcess.Spec(
                node.id(),
                node.dataDir().toFile(),
                node.dataLogDir().toFile(),
                (int) config.tickTime().toMillis(),
                config.initLimit(),
                config.syncLimit(),
                (int) config.minSessionTimeout().toMillis(),
                (int) config.maxSessionTimeout().toMillis(),
                view(node),
                config.settingsFor(node.id()),
                node.disk());
        node.process.start(spec, dialer);
        node.started();
        node.disk().startedWithDamage();
    }

    /**
     * Starts the peers of every node in {@code nodes} (each bound already) at the same time, and returns once every
     * start returned. Election ends a fixed 200 ms after a quorum of peers sees each other, so one peer after the
     * other would put every start but the last on that path. Throws the first failure, after every start ended.
     */
    void startPeers(List<NodeRuntime> nodes) throws IOException {
        dialer.openLinks();
        List<Thread> starters = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch warmed = new CountDownLatch(nodes.size());
        for (NodeRuntime node : nodes.subList(0, Math.max(0, nodes.size() - 1))) {
            Thread t = new Thread(
                    cluster.threads,
                    () -> {
                        try {
                            loading.warmTogether(node, warmed);
                            startPeer(node);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    cluster.name() + "-start-" + node.id());
            t.setDaemon(true);
            t.start();
            starters.add(t);
        }
        try {
            if (!nodes.isEmpty()) {
                loading.warmTogether(nodes.get(nodes.size() - 1), warmed);
                startPeer(nodes.get(nodes.size() - 1)); // the last one in this thread
            }
        } catch (IOException | RuntimeException e) {
            failures.add(0, e);
        } finally {
            boolean interrupted = false;
            for (Thread t : starters) {
                while (t.isAlive()) {
                    try {
                        t.join(); // bounded: a peer's start gives up after PeerProcess's step timeout
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first instanceof Error err) {
                throw err;
            }
            throw new IOException(first);
        }
    }

    /**
     * What {@code self} starts with: the members the configuration names now, and itself. A server outside the
     * configuration lists itself as a participant, as a joiner does: it syncs as a non-voting follower until a
     * reconfiguration names it.
     */
    private List<PeerProcess.Member> view(NodeRuntime self) {
        List<PeerProcess.Member> view = new ArrayList<>();
        for (NodeRuntime n : cluster.members()) {
            boolean configured = n.isConfigured();
            if (!configured && n != self) {
                continue;
            }
            view.add(new PeerProcess.Member(
                    n.id(),
                    new InetSocketAddress(Cluster.loopback(), n.quorumPort),
                    new InetSocketAddress(Cluster.loopback(), n.electionPort),
                    n.publicClientAddress,
                    configured ? !n.isVoter() : n.joinsAsObserver));
        }
        return view;
    }

    /** Gives every member's quorum and election ports back to the allocator. */
    void releasePorts() {
        Ports ports = cluster.config.ports();
        for (NodeRuntime node : cluster.members()) {
            if (node.quorumPort != 0) {
                ports.release(node.quorumPort);
                ports.release(node.electionPort);
            }
        }
    }
}
