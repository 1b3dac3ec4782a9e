package io.github.zkharness.internal.ensemble;

import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.Role;
import io.github.zkharness.ThreadFailure;
import io.github.zkharness.ZkExitRequestedException;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.ZkThreadDeathException;
import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.EnsembleAccess;
import io.github.zkharness.internal.FaultRecorder;
import io.github.zkharness.internal.Loopback;
import io.github.zkharness.internal.Network;
import io.github.zkharness.internal.NodeThreads;
import io.github.zkharness.internal.PeerBridge;
import io.github.zkharness.internal.PeerLinks;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.security.EnsembleSasl;
import io.github.zkharness.internal.security.EnsembleTls;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * The state every part of one ensemble shares: its configuration, members, lifecycle phase, links and what
 * went wrong so far; and the questions every part asks of it (who leads, does everyone serve, describe every
 * node). The cluster object is also the ensemble's lock: every change of membership or node state holds it.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Cluster implements EnsembleAccess {

    /** How long one look of the start's wait polls closely once a leader is elected. */
    private static final long FINE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Where the ensemble is in its life. */
    public enum Phase {
        NEW,
        RUNNING,
        STOPPED,
        CLOSED
    }

    final EnsembleConfig config;
    private final String name;
    final ThreadGroup threads;
    final Map<Integer, NodeRuntime> members = new ConcurrentSkipListMap<>();
    /** Id to voter-or-not, as the builder declared them: what reset restores. */
    final Map<Integer, Boolean> declared = new TreeMap<>();

    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<Throwable> exitRequests = new CopyOnWriteArrayList<>();
    /** Thread deaths, kept only with {@code failOnThreadDeath}: they end every wait at once. */
    final List<ThreadFailure> threadFailures = new CopyOnWriteArrayList<>();

    private final FaultRecorder faultRecorder;
    private final Network network = new Network(this);
    private final Disks disks = new Disks(this);
    volatile Phase phase = Phase.NEW;
    volatile boolean closeRequested;
    /** Whether the first start is under way: a port conflict is then retried with new ports. */
    volatile boolean firstStart;

    volatile PeerLinks links;
    volatile Path baseDir;
    /**
     * The server id every peer's election favours among equally up-to-date candidates, or
     * {@link io.github.zkharness.internal.PeerWiring#NO_PREFERRED_LEADER}: the builder's placement, then the last
     * leader move. Every peer reads it at each comparison of its election.
     */
    volatile long preferredLeader;
    /** The ensemble's TLS material, from the first start on; null for a plain ensemble. */
    volatile EnsembleTls tls;
    /** The ensemble's SASL users and sections, from the first start on; null without SASL users. */
    volatile EnsembleSasl sasl;
    /** Where the ensemble was built: named in the warning when it is never closed. */
    private final Throwable builtAt;

    /** The stack trace of an ensemble's construction; nothing was thrown. */
    static final class BuiltHere extends Throwable {
        private static final long serialVersionUID = 1L;

        BuiltHere(String name) {
            super(name + " was built here");
        }
    }

    /** Declares the builder's voters (ids from firstId on) and observers (the ids after them), not started. */
    public Cluster(String name, EnsembleConfig config) {
        this.name = name;
        this.config = config;
        this.threads = new ThreadGroup(name);
        this.builtAt = new BuiltHere(name);
        this.faultRecorder = new FaultRecorder(name, config.awaitTimeout(), this::allRunningServe);
        int id = config.firstId();
        for (int i = 0; i < config.voters(); i++, id++) {
            members.put(id, newMember(id, true));
        }
        for (int i = 0; i < config.observers(); i++, id++) {
            members.put(id, newMember(id, false));
        }
        members.forEach((nodeId, node) -> declared.put(nodeId, node.isVoter()));
        preferredLeader = config.preferredLeader();
    }

    NodeRuntime newMember(int id, boolean voter) {
        NodeThreads group = new NodeThreads(threads, name + "-node-" + id, id);
        if (config.failOnThreadDeath()) {
            group.onFailure(failure -> {
                threadFailures.add(failure);
                problems.add(failure.toString());
            });
        }
        return new NodeRuntime(id, voter, group, this::followConfiguration, config.codeFor(id));
    }

    static InetAddress loopback() {
        return Loopback.ADDRESS;
    }

    // ------------------------------------------------------------------------------ what it is

    @Override
    public String name() {
        return name;
    }

    /** Where the ensemble was built (the stack trace of its construction). */
    public Throwable builtAt() {
        return builtAt;
    }

    /** The builder's settings. */
    public EnsembleConfig config() {
        return config;
    }

    /** The phase now. */
    public Phase phase() {
        return phase;
    }

    /** The network faults of this ensemble. */
    public Network network() {
        return network;
    }

    /** The disk faults of this ensemble. */
    public Disks disks() {
        return disks;
    }

    /** The member with this id now, or null. */
    public NodeRuntime member(int id) {
        return members.get(id);
    }

    /** Every member, by id. */
    public Collection<NodeRuntime> members() {
        return members.values();
    }

    /** The ensemble's TLS material, or null for a plain ensemble or before the first start. */
    public EnsembleTls tls() {
        return tls;
    }

    /** A client configuration for this ensemble's client ports: TLS when it has TLS, else null (ZooKeeper's default). */
    public ZKClientConfig clientConfig() {
        EnsembleTls t = tls;
        return t == null ? null : t.clientConfig();
    }

    /** The ensemble's SASL users and sections, or null without SASL users or before the first start. */
    public EnsembleSasl sasl() {
        return sasl;
    }

    /** A new client configuration (TLS when the ensemble has it) that logs in over SASL as {@code user}. */
    public ZKClientConfig saslClientConfig(String user, String password) {
        EnsembleSasl s = sasl;
        if (s == null) {
            throw new IllegalStateException("ensemble " + name + " has no SASL users; declare them with saslUser(...)");
        }
        ZKClientConfig base = clientConfig();
        return s.clientConfig(base != null ? base : new ZKClientConfig(), user, password);
    }

    /** The directory that holds every node's directories (null before the first start). */
    public Path baseDir() {
        return baseDir;
    }

    /**
     * The server id the elections favour now among equally up-to-date candidates, or
     * {@link io.github.zkharness.internal.PeerWiring#NO_PREFERRED_LEADER} for ZooKeeper's own order.
     */
    public long preferredLeader() {
        return preferredLeader;
    }

    /** The member that leads now. */
    public Optional<NodeRuntime> findLeader() {
        return members.values().stream().filter(n -> n.role() == Role.LEADER).findFirst();
    }

    /** The member whose server holds a client connection of {@code sessionId} now. */
    public Optional<NodeRuntime> memberHolding(long sessionId) {
        for (NodeRuntime node : members.values()) {
            PeerBridge server = server(node.id());
            if (server != null && server.holdsSession(sessionId)) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    /** Every member's state on one line, then the faults in force (network, then disks) and the problems seen. */
    public String describe() {
        String text = members.values().stream().map(n -> n.status().toString()).collect(Collectors.joining(" "));
        List<Fault> faults = new ArrayList<>(network.faults());
        faults.addAll(disks.faults());
        if (!faults.isEmpty()) {
            text += "; faults: " + faults.stream().map(Fault::description).collect(Collectors.joining(", "));
        }
        return problems.isEmpty() ? text : text + "; problems: " + String.join("; ", problems);
    }

    /** Threads of this ensemble that are alive now: peers, links and everything ZooKeeper started for them. */
    public List<Thread> liveThreads() {
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

    /** How many connections the peer links forward now (the contract test checks nothing bypasses them). */
    public int linkedPeerConnections() {
        PeerLinks l = links;
        return l == null
                ? 0
                : l.peerLinks().values().stream()
                        .mapToInt(link -> link.connectionCount())
                        .sum();
    }

    // ------------------------------------------------------------------------------ checks

    @Override
    public void requireOpen() {
        if (phase == Phase.CLOSED) {
            throw closedException();
        }
    }

    @Override
    public void requireStarted() {
        requireOpen();
        if (phase == Phase.NEW) {
            throw new IllegalStateException("ensemble " + name + " has not been started; call start() first");
        }
    }

    /** Throws unless the ensemble runs; {@code what} completes "start() it before you ...". */
    public void requireRunning(String what) {
        requireOpen();
        if (phase != Phase.RUNNING) {
            throw new IllegalStateException("ensemble " + name + " is "
                    + phase.name().toLowerCase(Locale.ROOT) + "; start() it before you " + what);
        }
    }

    IllegalStateException closedException() {
        return new IllegalStateException("ensemble " + name + " is closed");
    }

    /** Throws the exit ZooKeeper asked for, if it asked while this ensemble ran. */
    public void checkExitRequests() {
        if (!exitRequests.isEmpty()) {
            throw new ZkExitRequestedException(
                    "ZooKeeper asked the JVM to exit while " + name + " ran (zk-harness refused): " + problems,
                    exitRequests.get(0));
        }
    }

    // ------------------------------------------------------------------------------ waiting

    /** Waits for {@code condition}, failing fast on an exit request, a port conflict or a close. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(what, timeout, condition, this::describe, this::failFast);
    }

    private void failFast() {
        checkExitRequests();
        if (!threadFailures.isEmpty()) {
            ThreadFailure first = threadFailures.get(0);
            throw new ZkThreadDeathException(first + "; nodes: " + describe(), first.error());
        }
        for (NodeRuntime node : members.values()) {
            String conflict = node.portConflict;
            if (conflict != null && phase == Phase.RUNNING && node.state() == NodeState.RUNNING) {
                // during the first start the conflict is retried with new ports; later a node keeps its ports
                throw firstStart
                        ? new PortConflict(conflict)
                        : new ZkStartException(
                                conflict
                                        + "; ZooKeeper peers keep their quorum and election ports for life: free that port",
                                null);
            }
        }
        if (phase == Phase.CLOSED || closeRequested) {
            throw closedException();
        }
    }

    /**
     * Waits until a member leads with a quorum, and returns it: it serves, and a majority of the voters run
     * and follow it. Right after losing its quorum an old leader still believes it leads (for up to
     * {@code syncLimit} ticks) but can commit nothing: it does not count.
     */
    public NodeRuntime awaitLeader(Duration timeout) {
        requireOpen();
        NodeRuntime[] found = new NodeRuntime[1];
        await("a leader that serves and that a quorum of voters follows", timeout, () -> {
            found[0] = findLeader().filter(this::leadsAQuorum).orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /**
     * Brings every member's role (voter, observer, outside the configuration) up to the configuration the leader
     * committed, whoever committed it: the harness, or a test's own {@code reconfig}. Without a leader (or
     * with a leader that does not run) the roles stay as last followed. Servers the configuration names that
     * the ensemble does not own are not followed.
     */
    void followConfiguration() {
        NodeRuntime leader = findLeader().orElse(null);
        PeerProcess p = leader == null ? null : leader.process;
        Map<Long, Boolean> committed = p == null ? null : p.bridge().committedMembers();
        if (committed == null) {
            return;
        }
        for (NodeRuntime node : members.values()) {
            Boolean member = committed.get((long) node.id());
            boolean votes = member != null && member;
            boolean configured = member != null;
            if (node.configuredAsFollowed() != configured) {
                node.configured(configured);
            }
            if (node.voterAsFollowed() != votes) {
                node.voter(votes);
            }
        }
    }

    /** Whether {@code leader} serves and more than half of the voters run and follow it (itself included). */
    boolean leadsAQuorum(NodeRuntime leader) {
        if (!leader.isServing()) {
            return false;
        }
        followConfiguration();
        long voters = 0;
        long following = 0;
        for (NodeRuntime node : members.values()) {
            if (!node.voterAsFollowed()) {
                continue;
            }
            voters++;
            PeerProcess p = node.process;
            if (node.state() == NodeState.RUNNING && p != null && p.serving() && p.leaderId() == leader.id()) {
                following++;
            }
        }
        return following > voters / 2;
    }

    /** Waits until a leader serves and every running member serves, all following that leader. */
    public void awaitServing(Duration timeout) {
        requireOpen();
        await("a leader and every running node serving", timeout, this::allRunningServe);
    }

    /** {@link #awaitServing(Duration)}, marking in {@code phases} when each step of a start is first seen. */
    void awaitServing(Duration timeout, StartPhases phases) {
        requireOpen();
        await("a leader and every running node serving", timeout, () -> {
            if (servingMarked(phases)) {
                return true;
            }
            if (findLeader().isEmpty()) {
                return false;
            }
            // elected: the rest (leader binds, learners sync) takes a few ms; look closely rather than every 10 ms
            long until = System.nanoTime() + FINE_POLL_NANOS;
            while (System.nanoTime() - until < 0 && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(250_000);
                if (servingMarked(phases)) {
                    return true;
                }
            }
            return false;
        });
    }

    private boolean servingMarked(StartPhases phases) {
        NodeRuntime leader = findLeader().orElse(null);
        if (leader != null) {
            phases.mark("elected");
            PeerProcess p = leader.process;
            if (p != null && p.listensAsLeader()) {
                phases.mark("leader_listening");
            }
            if (leadsAQuorum(leader)) {
                phases.mark("quorum_serving");
            }
        }
        boolean all = allRunningServe();
        if (all) {
            phases.mark("all_serving");
        }
        return all;
    }

    boolean allRunningServe() {
        NodeRuntime leader = findLeader().orElse(null);
        if (leader == null || !leadsAQuorum(leader)) {
            return false;
        }
        for (NodeRuntime node : members.values()) {
            // a server outside the configuration need not serve: a member a test's reconfig took out does not
            if (node.state() != NodeState.RUNNING || !node.configuredAsFollowed()) {
                continue;
            }
            PeerProcess p = node.process;
            if (p == null || !p.serving() || p.leaderId() != leader.id()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------ what the network sees

    @Override
    public SortedSet<Integer> nodeIds() {
        return new TreeSet<>(members.keySet());
    }

    @Override
    public OptionalInt leaderId() {
        return findLeader().map(n -> OptionalInt.of(n.id())).orElse(OptionalInt.empty());
    }

    @Override
    public PeerBridge server(int id) {
        NodeRuntime node = members.get(id);
        PeerProcess p = node == null || node.state() != NodeState.RUNNING ? null : node.process;
        return p == null ? null : p.bridge();
    }

    @Override
    public PeerLinks links() {
        return links;
    }

    @Override
    public FaultRecorder faultRecorder() {
        return faultRecorder;
    }

    /** Whether node {@code id} runs and serves now. */
    boolean serves(int id) {
        NodeRuntime node = members.get(id);
        PeerProcess p = node == null || node.state() != NodeState.RUNNING ? null : node.process;
        return p != null && p.serving();
    }
}
