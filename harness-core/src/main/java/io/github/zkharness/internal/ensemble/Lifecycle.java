package io.github.zkharness.internal.ensemble;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkExitRequestedException;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.JvmSecurityGlobals;
import io.github.zkharness.internal.PeerLinks;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.internal.ServerCode;
import io.github.zkharness.internal.security.ClientPortTls;
import io.github.zkharness.internal.security.EnsembleSasl;
import io.github.zkharness.internal.security.EnsembleTls;
import io.github.zkharness.internal.security.TlsSettings;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ensemble's life: the first start (directories, links, ports, peers, retried with new ports when one was
 * taken meanwhile), stop and start again, and close (peers, links, threads, ports, directories). Every
 * public method holds the ensemble's lock, except that {@link #close()} first tells a start in progress to
 * give up.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final int START_ATTEMPTS = 3;
    private static final Duration THREAD_REAP = Duration.ofSeconds(10);

    private final Cluster cluster;
    private final NodeControl control;
    private final Directories directories;
    private final Leadership leadership;
    private AutoCloseable exitRoute;

    Lifecycle(Cluster cluster, NodeControl control, Directories directories, Leadership leadership) {
        this.cluster = cluster;
        this.control = control;
        this.directories = directories;
        this.leadership = leadership;
    }

    /**
     * Starts every member and returns once a leader is elected and every member serves; after a stop, starts
     * the stopped members again.
     */
    public void start() {
        synchronized (cluster) {
            switch (cluster.phase) {
                case RUNNING ->
                    throw new IllegalStateException(
                            "ensemble " + cluster.name() + " is running already; call stop() first");
                case CLOSED -> throw cluster.closedException();
                case STOPPED -> startAgain();
                case NEW -> firstStart();
                default -> throw new AssertionError(cluster.phase);
            }
        }
    }

    /**
     * After {@code stop()}: starts every member again. On failure, stops what it started, so that the promise of
     * {@code start()} holds: nothing is left running, and the ensemble can be started again.
     */
    private void startAgain() {
        try {
            List<NodeRuntime> down = cluster.members().stream()
                    .filter(node -> node.state() != NodeState.RUNNING)
                    .toList();
            if (down.stream().anyMatch(node -> node.code().isolated())) {
                control.startAgainTogether(down); // cold class loaders: warmed and started side by side
            } else {
                for (NodeRuntime node : down) {
                    control.startAgain(node);
                }
            }
            cluster.phase = Cluster.Phase.RUNNING;
            cluster.awaitServing(cluster.config.startTimeout());
            leadership.enforce(cluster.config.startTimeout());
        } catch (RuntimeException e) {
            String state = cluster.describe();
            for (NodeRuntime node : cluster.members()) {
                if (node.state() == NodeState.RUNNING) {
                    control.shutdown(node, NodeState.STOPPED);
                }
            }
            cluster.phase = Cluster.Phase.STOPPED;
            if (e instanceof ZkStartException start) {
                throw start;
            }
            throw new ZkStartException(
                    "ensemble " + cluster.name() + " did not start again: " + e.getMessage()
                            + (e instanceof ZkTimeoutException ? "" : "; nodes: " + state),
                    e);
        }
    }

    private void firstStart() {
        StartPhases phases = new StartPhases();
        JvmGlobals.install();
        OpenEnsembles.opened(cluster, this);
        try {
            JvmGlobals.acquireFourLetterWords(this, cluster.config.fourLetterWords());
            if (cluster.config.readOnlyMode()) {
                JvmGlobals.acquireReadOnlyMode(this);
            }
            exitRoute = JvmGlobals.onExitRequest(cluster.threads, request -> {
                if (cluster.disks().explainExit(Thread.currentThread(), request.code(), control)) {
                    return; // caused by an injected disk fault: that node's crash, not an unexpected exit
                }
                cluster.exitRequests.add(request.where());
                cluster.problems.add(request.toString());
            });
            phases.mark("globals");
            directories.create();
            phases.mark("directories");
            TlsSettings tls = cluster.config.tls();
            if (tls != null) {
                ClientPortTls clientPort = JvmSecurityGlobals.acquireClientPortTls(this, tls.mutual());
                cluster.tls = EnsembleTls.create(cluster.name(), cluster.baseDir.resolve("tls"), tls, clientPort);
                phases.mark("tls");
            }
            if (cluster.config.links()) {
                cluster.links = new PeerLinks(cluster.name(), cluster.threads);
                phases.mark("links");
            }
            if (!cluster.config.saslUsers().isEmpty() || cluster.config.quorumSasl()) {
                EnsembleSasl sasl =
                        new EnsembleSasl(cluster.name(), cluster.config.saslUsers(), cluster.config.quorumSasl());
                JvmSecurityGlobals.acquireSasl(this, sasl);
                cluster.sasl = sasl;
            }
            startWithRetries(phases);
        } catch (RuntimeException | IOException e) {
            String state = cluster.describe();
            teardownQuietly();
            cluster.phase = Cluster.Phase.CLOSED;
            OpenEnsembles.closed(cluster);
            if (e instanceof ZkExitRequestedException exit) {
                throw exit;
            }
            String why = e instanceof FileSystemException fs
                    ? e.getClass().getSimpleName() + " " + fs.getFile()
                            + (fs.getReason() == null ? "" : ": " + fs.getReason())
                    : e.getMessage();
            throw new ZkStartException(
                    "ensemble " + cluster.name() + " did not start: " + why
                            + (e instanceof ZkTimeoutException ? "" : "; nodes: " + state),
                    e);
        } finally {
            phases.log(cluster.name());
        }
    }

    private void startWithRetries(StartPhases phases) throws IOException {
        cluster.firstStart = true;
        try {
            startWithNewPorts(phases);
        } finally {
            cluster.firstStart = false;
        }
    }

    private void startWithNewPorts(StartPhases phases) throws IOException {
        Ports ports = cluster.config.ports();
        for (int attempt = 1; ; attempt++) {
            try {
                for (NodeRuntime node : cluster.members()) {
                    node.assignPorts(ports.allocate(), ports.allocate());
                }
                control.bindClientPorts(List.copyOf(cluster.members()), node -> 0);
                phases.mark("client_ports");
                control.startPeers(List.copyOf(cluster.members()));
                phases.mark("peers_started");
                cluster.phase = Cluster.Phase.RUNNING;
                cluster.awaitServing(cluster.config.startTimeout(), phases);
                leadership.enforce(cluster.config.startTimeout()); // most starts elect the preferred voter already
                if (LOG.isDebugEnabled()) { // describe() reads every peer's state: not for a message nobody sees
                    LOG.debug("{} serving: {}", cluster.name(), cluster.describe());
                }
                return;
            } catch (PortConflict conflict) {
                LOG.info(
                        "{}: {}; retrying with new ports (attempt {} of {})",
                        cluster.name(),
                        conflict.getMessage(),
                        attempt + 1,
                        START_ATTEMPTS);
                control.shutdownAll();
                control.releasePorts();
                cluster.problems.clear();
                if (attempt == START_ATTEMPTS) {
                    throw conflict;
                }
            }
        }
    }

    /**
     * Restarts every running member one at a time, the leader last: a graceful stop, a start on its data, then a wait
     * of at most {@code timeoutPerNode} until a leader and every running member serve again. Holds the lock only
     * while it picks the next member, so faults and reads go on meanwhile.
     */
    public void rollingRestart(Duration timeoutPerNode) {
        Set<Integer> done = new HashSet<>();
        while (true) {
            NodeRuntime next;
            synchronized (cluster) {
                cluster.requireRunning("restart its nodes one by one");
                int leader = cluster.findLeader().map(NodeRuntime::id).orElse(-1);
                List<NodeRuntime> todo = cluster.members().stream()
                        .filter(n -> n.state() == NodeState.RUNNING && !done.contains(n.id()))
                        .toList();
                if (todo.isEmpty()) {
                    return;
                }
                next = todo.stream().filter(n -> n.id() != leader).findFirst().orElse(todo.get(0));
                done.add(next.id());
            }
            control.stop(next, NodeState.STOPPED);
            control.restart(next);
            cluster.awaitServing(timeoutPerNode);
        }
    }

    /**
     * Stops every running member gracefully; the data stays.
     *
     * @throws IllegalStateException if the ensemble does not run
     */
    public void stop() {
        synchronized (cluster) {
            if (cluster.phase != Cluster.Phase.RUNNING) {
                throw cluster.phase == Cluster.Phase.CLOSED
                        ? cluster.closedException()
                        : new IllegalStateException("ensemble " + cluster.name() + " is "
                                + cluster.phase.name().toLowerCase(Locale.ROOT)
                                + "; only a running ensemble can be stopped");
            }
            for (NodeRuntime node : cluster.members()) {
                if (node.state() == NodeState.RUNNING) {
                    control.shutdown(node, NodeState.STOPPED);
                }
            }
            cluster.phase = Cluster.Phase.STOPPED;
        }
    }

    /**
     * Stops every peer, closes every link, waits (bounded) for every thread of the ensemble to end and deletes
     * every directory it created. Idempotent.
     *
     * @throws ZkExitRequestedException after cleaning up, if ZooKeeper asked the JVM to exit meanwhile
     */
    public void close() {
        cluster.closeRequested = true; // a start() in progress on another thread gives up at its next poll
        synchronized (cluster) {
            if (cluster.phase == Cluster.Phase.CLOSED) {
                return;
            }
            cluster.phase = Cluster.Phase.CLOSED;
            teardownQuietly();
            OpenEnsembles.closed(cluster);
        }
        cluster.checkExitRequests();
    }

    private void teardownQuietly() {
        cluster.faultRecorder().close();
        try {
            control.shutdownAll();
        } catch (RuntimeException e) {
            LOG.warn("{}: error while stopping peers", cluster.name(), e);
        }
        PeerLinks links = cluster.links;
        if (links != null) {
            links.close();
        }
        reapThreads();
        ServerCode.closeRetired(); // the class loaders of isolated runs whose threads ended
        control.releasePorts();
        JvmGlobals.releaseFourLetterWords(this);
        JvmGlobals.releaseReadOnlyMode(this);
        JvmSecurityGlobals.releaseClientPortTls(this);
        JvmSecurityGlobals.releaseSasl(this);
        try {
            if (exitRoute != null) {
                exitRoute.close();
            }
        } catch (Exception e) {
            LOG.debug("ignored", e);
        }
        directories.deleteAll();
    }

    private void reapThreads() {
        long deadline = System.nanoTime() + THREAD_REAP.toNanos();
        boolean interrupted = false;
        while (true) {
            List<Thread> alive = cluster.liveThreads();
            if (alive.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn(
                        "{}: threads still alive {} after close: {}",
                        cluster.name(),
                        Await.format(THREAD_REAP),
                        alive.stream().map(Thread::getName).collect(Collectors.joining(", ")));
                return;
            }
            if (!interrupted) {
                // ZooKeeper's election workers poll with a 3 s timeout; an interrupt makes them notice the stop.
                alive.forEach(Thread::interrupt);
                interrupted = true;
            }
            for (Thread t : alive) {
                try {
                    t.join(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
