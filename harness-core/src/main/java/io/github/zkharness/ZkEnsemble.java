package io.github.zkharness;

import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.EnsembleAccess;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.Network;
import io.github.zkharness.internal.NodeThreads;
import io.github.zkharness.internal.PeerLinks;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.PeerWiring;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.internal.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import io.github.zkharness.network.Fault;
import io.github.zkharness.network.ZkNetwork;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Apache ZooKeeper ensemble inside this JVM: real {@code QuorumPeer}s, each with its own data
 * directory, {@code myid} file and loopback ports.
 *
 * <pre>{@code
 * try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
 *     ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, event -> { });
 *     ...
 *     zk.leader().kill();              // crash the leader
 *     zk.awaitLeader();                // the other two elect a new one
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns only when a leader is elected and every node serves clients. {@link #close()}
 * stops every peer and leaves no thread, socket, file or directory of the ensemble behind.
 *
 * <p><b>Quorum arithmetic.</b> An ensemble of {@code n} voters serves writes while more than half of them run:
 * 3 voters tolerate 1 failure, 5 tolerate 2. An even count tolerates no more than the odd count below it
 * (4 voters tolerate 1), which is why production ensembles are odd; the harness allows even counts because
 * tests need them. Observers never count toward the quorum.
 *
 * <p>Methods may be called from any thread. Node control (stop, kill, restart, wipe) is serialized per
 * ensemble; inspection never blocks on it.
 */
public final class ZkEnsemble implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZkEnsemble.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final int START_ATTEMPTS = 3;
    private static final Duration SHUTDOWN_JOIN = Duration.ofSeconds(10);
    private static final Duration THREAD_REAP = Duration.ofSeconds(10);

    private enum Lifecycle { NEW, RUNNING, STOPPED, CLOSED }

    private final Builder config;
    private final String name;
    private final ThreadGroup threads;
    private final Map<Integer, ZkNode> nodes = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<Integer, Boolean> declared = new TreeMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Throwable> exitRequests = new CopyOnWriteArrayList<>();
    private final Ports ports;
    private final Wiring wiring = new Wiring();
    private final Network network = new Network(new Access());
    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    private volatile boolean closeRequested;
    private Path baseDir;
    private boolean ownsBaseDir;
    private PeerLinks links;
    private AutoCloseable exitRoute;

    private ZkEnsemble(Builder config) {
        this.config = config;
        this.name = "zk-harness-" + SEQUENCE.incrementAndGet();
        this.threads = new ThreadGroup(name);
        this.ports = config.ports;
        int id = 1;
        for (int i = 0; i < config.voters; i++, id++) {
            nodes.put(id, new ZkNode(this, id, true, new NodeThreads(threads, name + "-node-" + id, id)));
        }
        for (int i = 0; i < config.observers; i++, id++) {
            nodes.put(id, new ZkNode(this, id, false, new NodeThreads(threads, name + "-node-" + id, id)));
        }
        nodes.forEach((nodeId, node) -> declared.put(nodeId, node.isVoter()));
    }

    /** A builder with fast defaults for tests: 3 voters, no observers, tickTime 100 ms. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Starts every node and returns once a leader is elected and every node serves clients. After
     * {@link #stop()}, starts the stopped nodes again with their data.
     *
     * @throws ZkStartException if that does not happen within the start timeout; nothing is left running then
     * @throws IllegalStateException if the ensemble runs already or is closed
     */
    public synchronized ZkEnsemble start() {
        switch (lifecycle) {
            case RUNNING -> throw new IllegalStateException("ensemble " + name + " is running already; call stop() first");
            case CLOSED -> throw closedException();
            case STOPPED -> {
                for (ZkNode node : nodes.values()) {
                    if (node.state() != NodeState.RUNNING) {
                        startNode(node);
                    }
                }
                lifecycle = Lifecycle.RUNNING;
                awaitServing(config.startTimeout);
                return this;
            }
            case NEW -> firstStart();
        }
        return this;
    }

    private void firstStart() {
        JvmGlobals.install();
        try {
            JvmGlobals.acquireFourLetterWords(this, config.fourLetterWords);
            exitRoute = JvmGlobals.onExitRequest(threads, request -> {
                exitRequests.add(request.where());
                problems.add(request.toString());
            });
            createDirectories();
            if (config.links) {
                links = new PeerLinks(name, threads);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    for (ZkNode node : nodes.values()) {
                        node.assignPorts(ports.allocate(), ports.allocate());
                    }
                    bindClientPorts();
                    for (ZkNode node : nodes.values()) {
                        startPeer(node);
                    }
                    lifecycle = Lifecycle.RUNNING;
                    awaitServing(config.startTimeout);
                    LOG.debug("{} serving: {}", name, describe());
                    return;
                } catch (PortConflict conflict) {
                    LOG.info("{}: {}; retrying with new ports (attempt {} of {})", name, conflict.getMessage(),
                        attempt + 1, START_ATTEMPTS);
                    shutdownAll();
                    releasePorts();
                    problems.clear();
                    if (attempt == START_ATTEMPTS) {
                        throw conflict;
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            String state = describe();
            teardownQuietly();
            lifecycle = Lifecycle.CLOSED;
            if (e instanceof ZkExitRequestedException exit) {
                throw exit;
            }
            String why = e instanceof java.nio.file.FileSystemException fs
                ? e.getClass().getSimpleName() + " " + fs.getFile() + (fs.getReason() == null ? "" : ": " + fs.getReason())
                : e.getMessage();
            throw new ZkStartException("ensemble " + name + " did not start: " + why
                + (e instanceof ZkTimeoutException ? "" : "; nodes: " + state), e);
        }
    }

    /**
     * Stops every running node gracefully. The data stays; {@link #start()} brings the ensemble back.
     *
     * @throws IllegalStateException if the ensemble is not running
     */
    public synchronized void stop() {
        if (lifecycle != Lifecycle.RUNNING) {
            throw lifecycle == Lifecycle.CLOSED ? closedException()
                : new IllegalStateException("ensemble " + name + " is " + lifecycle.name().toLowerCase(Locale.ROOT)
                    + "; only a running ensemble can be stopped");
        }
        for (ZkNode node : nodes.values()) {
            if (node.state() == NodeState.RUNNING) {
                shutdownNode(node, NodeState.STOPPED);
            }
        }
        lifecycle = Lifecycle.STOPPED;
    }

    /**
     * Stops every peer, closes every link, waits (bounded) for every thread of the ensemble to end and deletes
     * every directory it created. Idempotent.
     *
     * @throws ZkExitRequestedException after cleaning up, if ZooKeeper asked the JVM to exit while this
     *     ensemble ran (the harness refused; a real server would have died)
     */
    @Override
    public void close() {
        closeRequested = true; // a start() in progress on another thread gives up at its next poll
        synchronized (this) {
            if (lifecycle == Lifecycle.CLOSED) {
                return;
            }
            lifecycle = Lifecycle.CLOSED;
            teardownQuietly();
        }
        checkExitRequests();
    }

    private void teardownQuietly() {
        try {
            shutdownAll();
        } catch (RuntimeException e) {
            LOG.warn("{}: error while stopping peers", name, e);
        }
        if (links != null) {
            links.close();
        }
        reapThreads();
        releasePorts();
        JvmGlobals.releaseFourLetterWords(this);
        try {
            if (exitRoute != null) {
                exitRoute.close();
            }
        } catch (Exception e) {
            LOG.debug("ignored", e);
        }
        deleteDirectories();
    }

    private void shutdownAll() {
        for (ZkNode node : nodes.values()) {
            PeerProcess process = node.process;
            if (process != null) {
                node.remember(process);
                process.shutdown(SHUTDOWN_JOIN);
                node.stopped(NodeState.STOPPED);
            }
        }
    }

    private void reapThreads() {
        long deadline = System.nanoTime() + THREAD_REAP.toNanos();
        boolean interrupted = false;
        while (true) {
            List<Thread> alive = liveThreads();
            if (alive.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("{}: threads still alive {} after close: {}", name, Await.format(THREAD_REAP),
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

    /** Threads of this ensemble that are alive now: peers, links and everything ZooKeeper started for them. */
    List<Thread> liveThreads() {
        Thread[] buffer = new Thread[threads.activeCount() + 16];
        int n = threads.enumerate(buffer, true);
        List<Thread> alive = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (buffer[i].isAlive()) {
                alive.add(buffer[i]);
            }
        }
        return alive;
    }

    // ---------------------------------------------------------------------------------------------- inspection

    /** The client connect string for every node, observers included: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String connectString() {
        requireStarted();
        return nodes.values().stream().map(ZkNode::connectString).collect(Collectors.joining(","));
    }

    /**
     * The node with server id {@code id} (ids start at 1: voters first, then observers).
     *
     * @throws IllegalArgumentException if there is no such node
     */
    public ZkNode node(int id) {
        ZkNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node with id " + id + " in " + name + "; ids are " + nodes.keySet());
        }
        return node;
    }

    /** Every node, by id. */
    public List<ZkNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The voting members (participants), by id. */
    public List<ZkNode> voters() {
        return nodes.values().stream().filter(ZkNode::isVoter).toList();
    }

    /** The non-voting members (observers), by id. */
    public List<ZkNode> observers() {
        return nodes.values().stream().filter(ZkNode::isObserver).toList();
    }

    /** The nodes whose role is {@link Role#FOLLOWER} now. */
    public List<ZkNode> followers() {
        return nodes.values().stream().filter(n -> n.role() == Role.FOLLOWER).toList();
    }

    /** The node that leads now, if any. */
    public Optional<ZkNode> findLeader() {
        return nodes.values().stream().filter(n -> n.role() == Role.LEADER).findFirst();
    }

    /**
     * The node that leads now.
     *
     * @throws IllegalStateException naming every node's state if none leads now (see {@link #awaitLeader()})
     */
    public ZkNode leader() {
        requireOpen();
        return findLeader().orElseThrow(() -> new IllegalStateException(
            "no node of " + name + " leads now; nodes: " + describe() + ". Use awaitLeader() to wait for an election"));
    }

    /** A snapshot of every node. */
    public List<NodeStatus> status() {
        return nodes.values().stream().map(ZkNode::status).toList();
    }

    /** Every node's state on one line, as printed in every timeout message. */
    public String describe() {
        String text = nodes.values().stream().map(n -> n.status().toString()).collect(Collectors.joining(" "));
        List<Fault> faults = network.faults();
        if (!faults.isEmpty()) {
            text += "; faults: " + faults.stream().map(Fault::description).collect(Collectors.joining(", "));
        }
        return problems.isEmpty() ? text : text + "; problems: " + String.join("; ", problems);
    }

    /** Whether the ensemble has been started and neither stopped nor closed since. */
    public boolean isRunning() {
        return lifecycle == Lifecycle.RUNNING;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return lifecycle == Lifecycle.CLOSED;
    }

    /** This ensemble's name, as used for its threads ({@code zk-harness-N}). */
    public String name() {
        return name;
    }

    /** The directory that holds every node's directories. */
    public Path baseDirectory() {
        requireStarted();
        return baseDir;
    }

    /** The default timeout of waits without an explicit one (the builder's start timeout). */
    public Duration defaultTimeout() {
        return config.startTimeout;
    }

    /**
     * Breaks the network on purpose: partitions, isolated nodes, one-way cuts, frozen nodes, slow links,
     * clients cut off, expired sessions. See {@link ZkNetwork}.
     */
    public ZkNetwork network() {
        return network;
    }

    /**
     * Brings a used ensemble back to a clean state, fast: heals every fault, restarts every stopped or killed
     * node (with its data), waits until every node serves, puts the membership back to what the builder
     * declared (added nodes removed, removed nodes back, roles restored), then deletes every znode outside
     * {@code /zookeeper}.
     * What makes one ensemble shared by many tests as good as a fresh one per test.
     *
     * @throws ZkTimeoutException if the nodes do not all serve again within the default timeout
     * @throws ZkHarnessException if a znode cannot be deleted (for example, its ACL forbids it)
     */
    public synchronized void reset() {
        requireStarted();
        network.healAll(); // first: a stopped ensemble with a fault in force could not serve again otherwise
        if (lifecycle == Lifecycle.STOPPED) {
            start();
        }
        for (ZkNode node : nodes.values()) {
            if (node.state() != NodeState.RUNNING) {
                startNode(node);
            }
        }
        awaitServing(config.startTimeout);
        if (!membershipAsDeclared()) {
            restoreDeclaredMembership();
            awaitServing(config.startTimeout);
        }
        deleteUserData();
    }

    private boolean membershipAsDeclared() {
        if (!nodes.keySet().equals(declared.keySet())) {
            return false;
        }
        return nodes.values().stream().allMatch(n -> declared.get(n.id()) == n.isVoter());
    }

    private void deleteUserData() {
        InetSocketAddress direct = leader().process.boundClientAddress();
        ZooKeeper client = connectedClient("delete test data", watcher ->
            new ZooKeeper(direct.getHostString() + ":" + direct.getPort(), 10_000, watcher));
        try {
            for (String child : client.getChildren("/", false)) {
                if (!child.equals("zookeeper")) {
                    ZKUtil.deleteRecursive(client, "/" + child);
                }
            }
        } catch (KeeperException e) {
            throw new ZkHarnessException("reset could not delete " + e.getPath() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkHarnessException("interrupted while deleting test data", e);
        } finally {
            closeInBackground(client);
        }
    }

    /** Opens a ZooKeeper client of the harness's own, i.e. not subject to client-link faults. */
    private interface ClientFactory<T extends ZooKeeper> {
        T open(Watcher watcher) throws IOException;
    }

    /**
     * A client of the harness's own, connected: its threads join this ensemble's thread group, so close()
     * reaps them whatever happens.
     *
     * @throws ZkTimeoutException if it does not connect within the default timeout
     */
    private <T extends ZooKeeper> T connectedClient(String purpose, ClientFactory<T> factory) {
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher = event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        java.util.concurrent.atomic.AtomicReference<T> created = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<IOException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread opener = new Thread(threads, () -> {
            try {
                created.set(factory.open(watcher));
            } catch (IOException e) {
                failure.set(e);
            }
        }, name + "-client");
        opener.start();
        try {
            opener.join(config.startTimeout.toMillis());
            T client = created.get();
            if (client == null) {
                throw new ZkHarnessException("no client to " + purpose + ": " + failure.get() + "; nodes: " + describe(),
                    failure.get());
            }
            if (!connected.await(config.startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                closeInBackground(client);
                throw new ZkTimeoutException("Timed out after " + Await.format(config.startTimeout)
                    + " waiting for a client connection to the leader to " + purpose + "; nodes: " + describe());
            }
            return client;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkHarnessException("interrupted while connecting to " + purpose, e);
        }
    }

    /** ZooKeeper's client spends a fixed 100 ms in close(), which no caller here needs to wait for. */
    private void closeInBackground(ZooKeeper client) {
        Thread closer = new Thread(threads, () -> {
            try {
                client.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-client-close");
        closer.setDaemon(true);
        closer.start();
    }

    @Override
    public String toString() {
        return "ZkEnsemble[" + name + ", " + lifecycle.name().toLowerCase(Locale.ROOT) + ": " + describe() + "]";
    }

    // ---------------------------------------------------------------------------------------------- waiting

    /** {@link #awaitLeader(Duration)} with the default timeout. */
    public ZkNode awaitLeader() {
        return awaitLeader(config.startTimeout);
    }

    /**
     * Waits until one node leads and serves, and returns it.
     *
     * @throws ZkTimeoutException naming every node's state if that does not happen within {@code timeout}
     */
    public ZkNode awaitLeader(Duration timeout) {
        requireOpen();
        await("a leader that serves", timeout,
            () -> findLeader().map(ZkNode::isServing).orElse(false));
        return leader();
    }

    /** {@link #awaitServing(Duration)} with the default timeout. */
    public void awaitServing() {
        awaitServing(config.startTimeout);
    }

    /**
     * Waits until a leader serves and every running node serves clients, all following that leader.
     *
     * @throws ZkTimeoutException naming every node's state if that does not happen within {@code timeout}
     */
    public void awaitServing(Duration timeout) {
        requireOpen();
        await("a leader and every running node serving", timeout, this::allRunningServe);
    }

    private boolean allRunningServe() {
        ZkNode leader = findLeader().orElse(null);
        if (leader == null || !leader.isServing()) {
            return false;
        }
        for (ZkNode node : nodes.values()) {
            if (node.state() != NodeState.RUNNING) {
                continue;
            }
            PeerProcess p = node.process;
            if (p == null || !p.serving() || p.leaderId() != leader.id()) {
                return false;
            }
        }
        return true;
    }

    void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        Await.until(what, timeout, condition, this::describe, this::failFast);
    }

    private void failFast() {
        checkExitRequests();
        for (ZkNode node : nodes.values()) {
            String conflict = node.portConflict;
            if (conflict != null && lifecycle == Lifecycle.RUNNING && node.state() == NodeState.RUNNING) {
                throw new PortConflict(conflict);
            }
        }
        if (lifecycle == Lifecycle.CLOSED || closeRequested) {
            throw closedException();
        }
    }

    private void checkExitRequests() {
        if (!exitRequests.isEmpty()) {
            ZkExitRequestedException e = new ZkExitRequestedException("ZooKeeper asked the JVM to exit while " + name
                + " ran (zk-harness refused): " + problems, exitRequests.get(0));
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------- node control

    synchronized void stopNode(ZkNode node, NodeState how) {
        requireOpen();
        if (node.state() != NodeState.RUNNING) {
            throw new IllegalStateException("node " + node.id() + " is " + node.state()
                + "; only a running node can be " + (how == NodeState.KILLED ? "killed" : "stopped"));
        }
        shutdownNode(node, how);
    }

    private void shutdownNode(ZkNode node, NodeState how) {
        PeerProcess process = node.process;
        node.remember(process);
        if (how == NodeState.KILLED && links != null) {
            links.crash(node.id(), () -> process.shutdown(SHUTDOWN_JOIN));
        } else {
            process.shutdown(SHUTDOWN_JOIN);
        }
        node.stopped(how);
    }

    synchronized void restartNode(ZkNode node) {
        requireStarted();
        requireMember(node, "restarted");
        if (node.state() == NodeState.RUNNING) {
            throw new IllegalStateException("node " + node.id() + " is running; stop() or kill() it before restart()");
        }
        startNode(node);
        lifecycle = Lifecycle.RUNNING; // after stop(), restarting nodes one by one brings the ensemble back too
    }

    synchronized void wipeNode(ZkNode node) {
        requireStarted();
        requireMember(node, "wiped");
        if (node.state() == NodeState.RUNNING) {
            shutdownNode(node, NodeState.KILLED);
        }
        try {
            FileUtils.deleteDirectory(node.dataPath().toFile());
            if (!node.logPath().equals(node.dataPath())) {
                FileUtils.deleteDirectory(node.logPath().toFile());
            }
            node.createDirectories();
        } catch (IOException e) {
            throw new UncheckedIOException("could not wipe the data of node " + node.id(), e);
        }
        node.forgetData();
        startNode(node);
    }

    private void requireMember(ZkNode node, String what) {
        if (node.state() == NodeState.REMOVED || nodes.get(node.id()) != node) {
            throw new IllegalStateException("node " + node.id() + " was removed from the ensemble and cannot be "
                + what + "; addObserver() or addVoter() brings a new node");
        }
    }

    private void startNode(ZkNode node) {
        node.portConflict = null;
        for (int port : new int[] {node.quorumPort, node.electionPort}) {
            if (!Ports.isFree(port)) {
                throw new ZkStartException("node " + node.id() + " cannot restart: its port " + port
                    + " is taken by another socket. ZooKeeper peers keep their quorum and election ports for life"
                    + " (every peer's view lists them); free that port", null);
            }
        }
        try {
            // with links the server may take any port: clients keep the link's address
            bindClientPort(node, links != null ? 0 : node.realClientPort);
            try {
                startPeer(node);
            } catch (IOException | RuntimeException e) {
                node.process.shutdown(SHUTDOWN_JOIN); // no client port left bound by a peer that never ran
                throw e;
            }
        } catch (IOException e) {
            throw new ZkStartException("node " + node.id() + " could not start: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- membership

    /**
     * Adds an observer at runtime through ZooKeeper's dynamic reconfiguration, so that the ensemble's own
     * configuration ({@code /zookeeper/config}, {@code conf}, what clients tracking the ensemble see) lists it.
     * It gets the lowest free id (an id removed earlier comes back), its own ports, data directory and
     * {@code myid}; it syncs the data and serves reads, forwards writes, and never votes. Returns once it
     * serves and the reconfiguration is committed.
     *
     * @throws IllegalStateException if the ensemble is not running
     */
    public ZkNode addObserver() {
        return addNode(false);
    }

    /**
     * Adds a voter at runtime, as {@link #addObserver()} does an observer. Once committed it counts toward the
     * quorum: 3 voters become 4, and a quorum is then 3 of them.
     */
    public ZkNode addVoter() {
        return addNode(true);
    }

    /**
     * Takes node {@code id} out of the ensemble through ZooKeeper's dynamic reconfiguration, then shuts it down
     * and deletes its directories. Removing the leader makes the rest elect a new one. Returns once the change
     * is committed and the remaining nodes serve.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the ensemble is not running, or the change would leave fewer than 2
     *     voters (ZooKeeper's rule) or no running quorum
     */
    public void remove(int id) {
        removeNode(node(id));
    }

    /**
     * Turns node {@code id} into an observer, or back into a voter, through a reconfiguration.
     *
     * @throws IllegalStateException if it already has that role, or the change would leave no quorum
     */
    public ZkNode changeRole(int id, boolean voter) {
        ZkNode node;
        synchronized (this) {
            requireRunningEnsemble("change a role");
            node = node(id);
            if (node.isVoter() == voter) {
                throw new IllegalStateException("node " + id + " is already " + (voter ? "a voter" : "an observer"));
            }
            if (!voter) {
                requireQuorumWithout(node, "turning node " + id + " into an observer");
            }
            reconfigure(serverSpec(node, voter), null);
            node.voter(voter);
        }
        awaitRole(node, voter);
        return node;
    }

    private ZkNode addNode(boolean voter) {
        ZkNode node;
        synchronized (this) {
            requireRunningEnsemble(voter ? "add a voter" : "add an observer");
            int id = 1;
            while (nodes.containsKey(id)) {
                id++;
            }
            node = joinNode(id, voter);
        }
        awaitRole(node, voter);
        return node;
    }

    /** Starts node {@code id} as a joiner, then commits it into the configuration. Holds the ensemble's lock. */
    private ZkNode joinNode(int id, boolean voter) {
        ZkNode node = new ZkNode(this, id, voter, new NodeThreads(threads, name + "-node-" + id, id));
        node.placeIn(baseDir.resolve("node-" + id), config.separateDataLogDir);
        node.assignPorts(ports.allocate(), ports.allocate());
        nodes.put(id, node);
        try {
            node.createDirectories();
            bindClientPort(node, 0);
            // the joiner's view: the current members and itself; it syncs as a non-voting learner until the
            // reconfiguration that names it commits
            startPeer(node);
            await("node " + id + " syncing with the leader before it joins the configuration", config.startTimeout,
                () -> node.process != null && node.process.serving());
            reconfigure(serverSpec(node, voter), null);
            return node;
        } catch (RuntimeException | IOException e) {
            String state = describe();
            discard(node);
            if (e instanceof ZkHarnessException zk) {
                throw zk;
            }
            throw new ZkHarnessException("node " + id + " could not join " + name + ": " + e.getMessage()
                + "; nodes: " + state, e);
        }
    }

    synchronized void removeNode(ZkNode node) {
        requireRunningEnsemble("remove a node");
        if (node.state() == NodeState.REMOVED || nodes.get(node.id()) != node) {
            throw new IllegalStateException("node " + node.id() + " was removed already");
        }
        if (node.isVoter()) {
            long voters = nodes.values().stream().filter(ZkNode::isVoter).count();
            if (voters <= 2) {
                throw new IllegalStateException("removing node " + node.id() + " would leave " + (voters - 1)
                    + " voter; ZooKeeper needs at least 2 voters after a reconfiguration (it runs a single voter on"
                    + " its own, as a standalone server)");
            }
            requireQuorumWithout(node, "removing node " + node.id());
        }
        reconfigure(null, String.valueOf(node.id()));
        discard(node);
        awaitServing(config.startTimeout);
    }

    /** Stops a node that is no longer (or never became) a member and forgets it. Holds the ensemble's lock. */
    private void discard(ZkNode node) {
        PeerProcess process = node.process;
        if (process != null) {
            process.shutdown(SHUTDOWN_JOIN);
        }
        nodes.remove(node.id(), node);
        node.removed();
        ports.release(node.quorumPort);
        ports.release(node.electionPort);
        try {
            FileUtils.deleteDirectory(node.dataPath().getParent().toFile());
        } catch (IOException e) {
            LOG.warn("{}: could not delete the directories of removed node {}", name, node.id(), e);
        }
    }

    /**
     * After a reconfiguration names a node, it re-runs leader election and takes its new role: until then it
     * may still serve in its old one. Waits for the role, then for every node serving.
     */
    private void awaitRole(ZkNode node, boolean voter) {
        await("node " + node.id() + " serving as " + (voter ? "a voter" : "an observer"), config.startTimeout,
            () -> node.isServing() && (voter ? node.role() == Role.FOLLOWER || node.role() == Role.LEADER
                : node.role() == Role.OBSERVER));
        awaitServing(config.startTimeout);
    }

    private void requireQuorumWithout(ZkNode leaving, String change) {
        List<ZkNode> voters = nodes.values().stream().filter(n -> n.isVoter() && n != leaving).toList();
        long serving = voters.stream().filter(ZkNode::isServing).count();
        if (serving <= voters.size() / 2) {
            throw new IllegalStateException(change + " would leave no quorum: of the " + voters.size()
                + " remaining voters only " + serving + " serve; nodes: " + describe());
        }
    }

    private void requireRunningEnsemble(String what) {
        requireOpen();
        if (lifecycle != Lifecycle.RUNNING) {
            throw new IllegalStateException("ensemble " + name + " is " + lifecycle.name().toLowerCase(Locale.ROOT)
                + "; start() it before you " + what);
        }
    }

    /** {@code server.N=host:quorum:election:role;host:clientPort}, as ZooKeeper's reconfig takes it. */
    private static String serverSpec(ZkNode node, boolean voter) {
        InetSocketAddress client = node.publicClientAddress;
        return "server." + node.id() + "=127.0.0.1:" + node.quorumPort + ":" + node.electionPort + ":"
            + (voter ? "participant" : "observer") + ";127.0.0.1:" + client.getPort();
    }

    /**
     * Runs one incremental reconfiguration on the leader, as the harness's super user, straight to the leader's
     * own client port (faults on client links do not apply to the harness's own control traffic).
     */
    private void reconfigure(String joining, String leaving) {
        String superUser = JvmGlobals.superUser();
        if (superUser == null) {
            throw new IllegalStateException("membership changes need the harness's super user, but the system"
                + " property zookeeper.DigestAuthenticationProvider.superDigest was set before the first ensemble"
                + " started; leave it unset");
        }
        ZkNode leader = awaitLeader(config.startTimeout);
        PeerProcess process = leader.process;
        InetSocketAddress direct = process.boundClientAddress();
        String change = (joining != null ? "joining " + joining : "") + (leaving != null ? "leaving " + leaving : "");
        org.apache.zookeeper.admin.ZooKeeperAdmin admin = connectedClient("reconfigure (" + change + ")",
            watcher -> new org.apache.zookeeper.admin.ZooKeeperAdmin(
                direct.getHostString() + ":" + direct.getPort(), 10_000, watcher));
        try {
            admin.addAuthInfo("digest", superUser.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            admin.reconfigure(joining, leaving, null, -1, new org.apache.zookeeper.data.Stat());
        } catch (KeeperException.NoAuthException e) {
            throw new IllegalStateException("ZooKeeper did not accept the harness's super user for the"
                + " reconfiguration (" + change + "): its DigestAuthenticationProvider was loaded before the first"
                + " zk-harness ensemble started, so it never read the harness's superDigest. Start a zk-harness"
                + " ensemble before any other ZooKeeper server in this JVM", e);
        } catch (KeeperException.NewConfigNoQuorum e) {
            throw new IllegalStateException("ZooKeeper refused the reconfiguration (" + change + "): the new"
                + " configuration has no connected and synced quorum; nodes: " + describe(), e);
        } catch (KeeperException e) {
            throw new ZkHarnessException("ZooKeeper refused the reconfiguration (" + change + "): " + e.getMessage()
                + "; nodes: " + describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkHarnessException("interrupted while reconfiguring (" + change + ")", e);
        } finally {
            closeInBackground(admin);
        }
    }

    /** Puts the membership back to what the builder declared: removes added nodes, re-adds removed ones. */
    private void restoreDeclaredMembership() {
        for (ZkNode node : List.copyOf(nodes.values())) {
            if (!declared.containsKey(node.id())) {
                removeNode(node);
            }
        }
        for (Map.Entry<Integer, Boolean> d : declared.entrySet()) {
            ZkNode node = nodes.get(d.getKey());
            if (node == null) {
                joinNode(d.getKey(), d.getValue());
            } else if (node.isVoter() != d.getValue()) {
                reconfigure(serverSpec(node, d.getValue()), null);
                node.voter(d.getValue());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- building

    private void createDirectories() throws IOException {
        // zk-harness-<n>-<pid>-<random>: ensemble numbers restart in every JVM, the pid tells whose it is
        String prefix = name + "-" + ProcessHandle.current().pid() + "-";
        if (config.baseDirectory == null) {
            baseDir = Files.createTempDirectory(prefix); // rwx------ on POSIX
            ownsBaseDir = true;
        } else {
            Files.createDirectories(config.baseDirectory);
            baseDir = Files.createTempDirectory(config.baseDirectory, prefix);
            ownsBaseDir = true;
        }
        for (ZkNode node : nodes.values()) {
            node.placeIn(baseDir.resolve("node-" + node.id()), config.separateDataLogDir);
            node.createDirectories();
        }
    }

    private void deleteDirectories() {
        if (baseDir != null && ownsBaseDir) {
            try {
                FileUtils.deleteDirectory(baseDir.toFile());
            } catch (IOException e) {
                LOG.warn("{}: could not delete {}", name, baseDir, e);
            }
        }
    }

    private void bindClientPorts() throws IOException {
        for (ZkNode node : nodes.values()) {
            bindClientPort(node, 0);
        }
    }

    /**
     * Binds the client port of {@code node}'s next run ({@code 0} = any free port) and points its client link
     * there. Clients use the link's address, which stays the same across restarts; without links they use the
     * server's own port, which a restart binds again.
     */
    private void bindClientPort(ZkNode node, int port) throws IOException {
        node.process = PeerProcess.bind(node.id(), new InetSocketAddress(loopback(), port),
            config.settingsFor(node.id()), node.threads);
        InetSocketAddress real = node.process.boundClientAddress();
        node.realClientPort = real.getPort();
        try {
            node.publicClientAddress = links != null ? links.clientLink(node.id(), real).listenAddress() : real;
        } catch (RuntimeException e) {
            node.process.shutdown(SHUTDOWN_JOIN);
            throw e;
        }
    }

    private void startPeer(ZkNode node) throws IOException {
        PeerProcess.Spec spec = new PeerProcess.Spec(node.id(), node.dataPath().toFile(), node.logPath().toFile(),
            (int) config.tickTime.toMillis(), config.initLimit, config.syncLimit,
            (int) config.minSessionTimeout.toMillis(), (int) config.maxSessionTimeout.toMillis(), view(),
            config.settingsFor(node.id()));
        node.process.start(spec, wiring);
        node.started();
    }

    private List<PeerProcess.Member> view() {
        List<PeerProcess.Member> view = new ArrayList<>();
        for (ZkNode n : nodes.values()) {
            view.add(new PeerProcess.Member(n.id(), new InetSocketAddress(loopback(), n.quorumPort),
                new InetSocketAddress(loopback(), n.electionPort), n.publicClientAddress, n.isObserver()));
        }
        return view;
    }

    private void releasePorts() {
        for (ZkNode node : nodes.values()) {
            if (node.quorumPort != 0) {
                ports.release(node.quorumPort);
                ports.release(node.electionPort);
            }
        }
    }

    static java.net.InetAddress loopback() {
        return io.github.zkharness.internal.Loopback.ADDRESS;
    }

    // ---------------------------------------------------------------------------------------------- checks

    void requireOpen() {
        if (lifecycle == Lifecycle.CLOSED) {
            throw closedException();
        }
    }

    void requireStarted() {
        requireOpen();
        if (lifecycle == Lifecycle.NEW) {
            throw new IllegalStateException("ensemble " + name + " has not been started; call start() first");
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("ensemble " + name + " is closed");
    }

    PeerLinks links() {
        return links;
    }

    /** How many connections the peer links forward now (for the contract test that nothing bypasses them). */
    int linkedPeerConnections() {
        return links == null ? 0 : links.peerLinks().values().stream().mapToInt(l -> l.connectionCount()).sum();
    }

    // ---------------------------------------------------------------------------------------------- wiring

    /** Answers the peers' dial requests: through the links when they are on, straight to the peer otherwise. */
    private final class Wiring implements PeerWiring {

        @Override
        public InetSocketAddress electionDial(long from, long to, InetSocketAddress requested) {
            ZkNode target = nodes.get((int) to);
            if (target == null || target.electionPort == 0) {
                return requested;
            }
            InetSocketAddress real = new InetSocketAddress(loopback(), target.electionPort);
            if (links == null) {
                return real;
            }
            PeerProcess p = target.process;
            if (p == null || !p.running() || links.refused(from, to)) {
                return null;
            }
            return links.peerLink(new PeerLinks.Key(PeerLinks.Kind.ELECTION, from, to), real).listenAddress();
        }

        @Override
        public InetSocketAddress quorumDial(long from, InetSocketAddress leader) throws IOException {
            ZkNode target = null;
            for (ZkNode n : nodes.values()) {
                if (n.quorumPort == leader.getPort()) {
                    target = n;
                }
            }
            if (target == null || links == null) {
                return leader;
            }
            PeerProcess p = target.process;
            if (p == null || !p.listensAsLeader()) {
                throw new ConnectException("Connection refused: node " + target.id() + " does not listen as leader");
            }
            if (links.refused(from, target.id())) {
                throw new ConnectException("Connection refused: a fault refuses " + from + "->" + target.id());
            }
            InetSocketAddress real = new InetSocketAddress(loopback(), target.quorumPort);
            return links.peerLink(new PeerLinks.Key(PeerLinks.Kind.QUORUM, from, target.id()), real).listenAddress();
        }

        @Override
        public void bindFailed(long sid, String which, Throwable cause) {
            ZkNode node = nodes.get((int) sid);
            if (node == null) {
                return;
            }
            int port = which.equals("election") ? node.electionPort : node.quorumPort;
            String message = "node " + sid + " could not bind its " + which + " port " + port
                + " (taken by another process)";
            node.portConflict = message;
            problems.add(message);
            LOG.warn("{}: {}", name, message, cause);
        }

        @Override
        public boolean reconfigEnabled() {
            return true; // per peer (the harness never sets ZooKeeper's JVM-wide switch): add/remove at runtime
        }
    }

    /** What the network implementation may see of this ensemble. */
    private final class Access implements EnsembleAccess {

        @Override
        public String name() {
            return name;
        }

        @Override
        public SortedSet<Integer> nodeIds() {
            return new TreeSet<>(nodes.keySet());
        }

        @Override
        public OptionalInt leaderId() {
            return findLeader().map(n -> OptionalInt.of(n.id())).orElse(OptionalInt.empty());
        }

        @Override
        public ZooKeeperServer server(int id) {
            ZkNode node = nodes.get(id);
            PeerProcess p = node == null || node.state() != NodeState.RUNNING ? null : node.process;
            return p == null ? null : p.activeServer();
        }

        @Override
        public void requireOpen() {
            ZkEnsemble.this.requireOpen();
        }

        @Override
        public void requireStarted() {
            ZkEnsemble.this.requireStarted();
        }

        @Override
        public PeerLinks links() {
            return links;
        }
    }

    /** A port of ours was taken between allocation and bind: the start is retried with new ports. */
    private static final class PortConflict extends ZkHarnessException {
        private static final long serialVersionUID = 1L;

        PortConflict(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------------------------------------- builder

    /**
     * Configures an ensemble. Each setter validates its argument at once and names what is allowed.
     * {@link #build()} returns an ensemble that is not started; {@link #start()} builds and starts it.
     */
    public static final class Builder {

        private static final Duration DEFAULT_MAX_SESSION_TIMEOUT = Duration.ofSeconds(60);

        private static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        private int voters = 3;
        private int observers;
        private Duration tickTime = Duration.ofMillis(100);
        private int initLimit = 10;
        private int syncLimit = 5;
        private Duration minSessionTimeout;
        private Duration maxSessionTimeout;
        private Path baseDirectory;
        private boolean separateDataLogDir;
        private Duration startTimeout = Duration.ofSeconds(30);
        private final Map<String, String> serverSettings = new HashMap<>();
        private final Map<Integer, Map<String, String>> nodeSettings = new HashMap<>();
        private Set<String> fourLetterWords = Set.of(JvmGlobals.ALL_FOUR_LETTER_WORDS);
        private boolean links = true;
        private Ports ports = Ports.loopback();

        private Builder() {
        }

        /**
         * How many voting members (participants) to run; default 3. A quorum is a strict majority of them, so
         * {@code 2F+1} voters tolerate {@code F} failures; an even count tolerates no more than one voter fewer.
         *
         * @throws IllegalArgumentException unless {@code 1 <= count <= 15}
         */
        public Builder voters(int count) {
            if (count < 1 || count > 15) {
                throw new IllegalArgumentException("voters must be between 1 and 15, got " + count);
            }
            this.voters = count;
            return this;
        }

        /**
         * How many observers to run besides the voters; default 0. Observers serve reads, forward writes and
         * never vote. Their ids follow the voters' ids.
         *
         * @throws IllegalArgumentException unless {@code 0 <= count <= 15}
         */
        public Builder observers(int count) {
            if (count < 0 || count > 15) {
                throw new IllegalArgumentException("observers must be between 0 and 15, got " + count);
            }
            this.observers = count;
            return this;
        }

        /**
         * ZooKeeper's basic time unit; default 100 ms (ZooKeeper's own default is 2 s, far too slow for tests).
         * Session timeouts, and how long a silent peer is tolerated ({@code syncLimit} ticks), derive from it.
         *
         * @throws IllegalArgumentException unless between 1 ms and 1 min
         */
        public Builder tickTime(Duration tickTime) {
            Await.requirePositive("tickTime", tickTime);
            if (tickTime.toMillis() < 1 || tickTime.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("tickTime must be between 1 ms and 1 min, got " + tickTime);
            }
            this.tickTime = tickTime;
            return this;
        }

        /**
         * Ticks a follower may take to connect to and sync with a new leader; default 10.
         *
         * @throws IllegalArgumentException unless {@code ticks >= 1}
         */
        public Builder initLimit(int ticks) {
            if (ticks < 1) {
                throw new IllegalArgumentException("initLimit must be at least 1 tick, got " + ticks);
            }
            this.initLimit = ticks;
            return this;
        }

        /**
         * Ticks a follower may fall silent before the leader drops it (and it drops the leader); default 5.
         *
         * @throws IllegalArgumentException unless {@code ticks >= 1}
         */
        public Builder syncLimit(int ticks) {
            if (ticks < 1) {
                throw new IllegalArgumentException("syncLimit must be at least 1 tick, got " + ticks);
            }
            this.syncLimit = ticks;
            return this;
        }

        /**
         * The session timeouts a client may negotiate. Default: at least 2 ticks (as in ZooKeeper, so tests can
         * ask for short sessions) and at most 60 s (ZooKeeper's 20 ticks would cap every client at 2 s with the
         * default 100 ms tick, and a failover could expire sessions that asked for more).
         *
         * @throws IllegalArgumentException unless {@code 0 < min <= max}
         */
        public Builder sessionTimeouts(Duration min, Duration max) {
            Await.requirePositive("min session timeout", min);
            Await.requirePositive("max session timeout", max);
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("min session timeout " + min + " exceeds max " + max);
            }
            if (max.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("max session timeout must be at most " + Integer.MAX_VALUE
                    + " ms (ZooKeeper keeps it in int milliseconds), got " + max);
            }
            this.minSessionTimeout = min;
            this.maxSessionTimeout = max;
            return this;
        }

        /**
         * Where to create the ensemble's directory; default: a fresh private directory in
         * {@code java.io.tmpdir}. The ensemble creates its own subdirectory and deletes it on close.
         */
        public Builder baseDirectory(Path directory) {
            this.baseDirectory = Objects.requireNonNull(directory, "baseDirectory must not be null");
            return this;
        }

        /**
         * Whether each node keeps its transaction log in its own {@code dataLogDir}, apart from its snapshots
         * in {@code dataDir}, as production guides advise; default false.
         */
        public Builder separateDataLogDir(boolean separate) {
            this.separateDataLogDir = separate;
            return this;
        }

        /**
         * How long {@link ZkEnsemble#start()} may take before it fails; also the default timeout of waits.
         * Default 30 s.
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Await.requirePositive("startTimeout", timeout);
            return this;
        }

        /**
         * A {@code zoo.cfg} setting for every server. Supported keys: {@code maxClientCnxns},
         * {@code clientPortListenBacklog}, {@code localSessionsEnabled}, {@code localSessionsUpgradingEnabled},
         * {@code syncEnabled}, {@code connectToLearnerMasterLimit}, {@code quorum.cnxn.threads.size}.
         *
         * @throws IllegalArgumentException for an unknown key, a key ZooKeeper only reads JVM-wide, or a bad value
         */
        public Builder serverSetting(String key, String value) {
            ServerSettings.check(key, value);
            serverSettings.put(key, value);
            return this;
        }

        /** A {@code zoo.cfg} setting for server {@code id} only; see {@link #serverSetting(String, String)}. */
        public Builder serverSetting(int id, String key, String value) {
            if (id < 1) {
                throw new IllegalArgumentException("server ids start at 1, got " + id);
            }
            ServerSettings.check(key, value);
            nodeSettings.computeIfAbsent(id, k -> new HashMap<>()).put(key, value);
            return this;
        }

        /**
         * The four-letter words servers answer ({@code "*"} = all, the default). A command outside the list gets
         * ZooKeeper's answer "... is not executed because it is not in the whitelist." ZooKeeper keeps the list
         * JVM-wide: ensembles that run at the same time must ask for the same list.
         *
         * @throws IllegalArgumentException for an empty list or a word that is not four lowercase letters
         */
        public Builder fourLetterWords(String... words) {
            Objects.requireNonNull(words, "words must not be null");
            if (words.length == 0) {
                throw new IllegalArgumentException("fourLetterWords needs at least one word (or \"*\" for all)");
            }
            Set<String> set = new LinkedHashSet<>();
            for (String w : words) {
                if (w == null || !(w.equals("*") || w.matches("[a-z]{4}"))) {
                    throw new IllegalArgumentException("four-letter word must be four lowercase letters or \"*\", got " + w);
                }
                set.add(w);
            }
            this.fourLetterWords = Collections.unmodifiableSet(set);
            return this;
        }

        /**
         * Whether peer and client connections pass through the harness's links (default true). Links are what
         * faults act on and what makes {@link ZkNode#kill()} reset connections; without them, kill is a
         * shutdown and the connect string points at the servers' own ports.
         */
        public Builder links(boolean enabled) {
            this.links = enabled;
            return this;
        }

        /** Tests of the harness itself replace the port allocator to provoke conflicts. */
        Builder ports(Ports allocator) {
            this.ports = Objects.requireNonNull(allocator);
            return this;
        }

        /**
         * The ensemble, not started yet.
         *
         * @throws IllegalArgumentException if a per-server setting names an id the ensemble does not have
         */
        public ZkEnsemble build() {
            int total = voters + observers;
            if (voters == 1 && observers > 0) {
                throw new IllegalArgumentException("observers need at least 2 voters: ZooKeeper runs a single voter"
                    + " on its own and never lets observers follow it; got voters(1).observers(" + observers + ")");
            }
            for (int id : nodeSettings.keySet()) {
                if (id > total) {
                    throw new IllegalArgumentException("serverSetting names server " + id + " but ids run 1.." + total);
                }
            }
            if (minSessionTimeout == null) {
                // ZooKeeper bounds sessions to 2..20 ticks; with a test's short tick that caps every client at
                // 2 s, and one failover plus the client's reconnect backoff (up to 1 s) would expire it
                minSessionTimeout = tickTime.multipliedBy(2);
                maxSessionTimeout = max(tickTime.multipliedBy(20), DEFAULT_MAX_SESSION_TIMEOUT);
            }
            return new ZkEnsemble(copy());
        }

        /** Builds and starts the ensemble: {@code build().start()}. */
        public ZkEnsemble start() {
            return build().start();
        }

        private Builder copy() {
            Builder b = new Builder();
            b.voters = voters;
            b.observers = observers;
            b.tickTime = tickTime;
            b.initLimit = initLimit;
            b.syncLimit = syncLimit;
            b.minSessionTimeout = minSessionTimeout;
            b.maxSessionTimeout = maxSessionTimeout;
            b.baseDirectory = baseDirectory;
            b.separateDataLogDir = separateDataLogDir;
            b.startTimeout = startTimeout;
            b.serverSettings.putAll(serverSettings);
            nodeSettings.forEach((k, v) -> b.nodeSettings.put(k, new HashMap<>(v)));
            b.fourLetterWords = fourLetterWords;
            b.links = links;
            b.ports = ports;
            return b;
        }

        ServerSettings settingsFor(int id) {
            Map<String, String> merged = new HashMap<>(serverSettings);
            merged.putAll(nodeSettings.getOrDefault(id, Map.of()));
            return ServerSettings.from(merged);
        }
    }
}
