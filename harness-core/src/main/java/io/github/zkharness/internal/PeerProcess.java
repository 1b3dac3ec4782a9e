package io.github.zkharness.internal;

import io.github.zkharness.Role;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;
import org.apache.zookeeper.server.HarnessNettyServerCnxnFactory;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.quorum.HarnessQuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeer.LearnerType;
import org.apache.zookeeper.server.quorum.QuorumPeer.QuorumServer;
import org.apache.zookeeper.server.quorum.ReadOnlyZooKeeperServer;
import org.apache.zookeeper.server.quorum.Vote;
import org.apache.zookeeper.server.quorum.flexible.QuorumMaj;
import org.apache.zookeeper.server.util.ZxidUtils;
import org.apiguardian.api.API;

/**
 * One run of one server: a {@link HarnessQuorumPeer} and its client connection factory, built directly with
 * public setters (never through {@code QuorumPeerConfig}, which turns settings into JVM-wide system
 * properties). A restart is a new {@code PeerProcess} on the same directories and ports.
 *
 * <p>Everything that creates ZooKeeper threads runs inside the node's {@link ThreadGroup}, so every thread the
 * peer creates, directly or not, belongs to that group: that is how the harness counts, tags and reaps them.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PeerProcess {

    /** The peer's place in the shared view: what every peer is told about it. */
    public record Member(
            long id,
            InetSocketAddress quorum,
            InetSocketAddress election,
            InetSocketAddress client,
            boolean observer) {}

    /** Everything one peer needs to start; {@code disk} holds the node's disk faults. */
    public record Spec(
            long id,
            File dataDir,
            File dataLogDir,
            int tickMs,
            int initLimit,
            int syncLimit,
            int minSessionMs,
            int maxSessionMs,
            List<Member> view,
            ServerSettings settings,
            DiskState disk) {}

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** Fast leader election, the only algorithm ZooKeeper has (QuorumPeerConfig's default {@code electionAlg}). */
    private static final int ELECTION_ALGORITHM = 3;
    /** QuorumPeerConfig's default: no observer master port. */
    private static final int NO_OBSERVER_MASTER_PORT = 0;

    /**
     * A TLS client port: {@code plainToo} also takes plain clients on the same port (ZooKeeper's port unification);
     * {@code fourLetterWords} opens the TLS sockets {@link #fourLetterWord} needs when plain clients are refused.
     */
    public record ClientTls(boolean plainToo, SSLSocketFactory fourLetterWords) {}

    private final long id;
    private final ThreadGroup group;
    private final ServerCnxnFactory factory;
    private final ClientTls tls;
    private volatile HarnessQuorumPeer peer;
    private volatile NodeStorage storage;
    private volatile Instant startedAt;

    private PeerProcess(long id, ThreadGroup group, ServerCnxnFactory factory, ClientTls tls) {
        this.id = id;
        this.group = group;
        this.factory = factory;
        this.tls = tls;
    }

    /**
     * Binds the client port (port 0 means any free port: the factory reports the one it got). The port is bound
     * before the peer exists so that every peer's view can list every client address.
     */
    public static PeerProcess bind(long id, InetSocketAddress clientBind, ServerSettings settings, ThreadGroup group)
            throws IOException {
        return bind(id, clientBind, settings, group, null, null);
    }

    /**
     * As {@link #bind(long, InetSocketAddress, ServerSettings, ThreadGroup)}, with a TLS client port when {@code tls}
     * is not null: ZooKeeper's Netty factory (the only one that does TLS), whose server certificate comes from the
     * JVM-wide settings {@link JvmGlobals#acquireClientPortTls} made; and SASL clients logged in through the JAAS
     * section {@code saslSection} when it is not null ({@link JvmGlobals#acquireSasl} serves it).
     */
    public static PeerProcess bind(
            long id,
            InetSocketAddress clientBind,
            ServerSettings settings,
            ThreadGroup group,
            ClientTls tls,
            String saslSection)
            throws IOException {
        ServerCnxnFactory factory = inGroup(group, "zk-harness-bind-" + id, () -> {
            if (tls == null) {
                NIOServerCnxnFactory f = new NIOServerCnxnFactory();
                JvmGlobals.withSaslServerSection(saslSection, () -> {
                    f.configure(clientBind, settings.maxClientCnxns(), settings.clientPortListenBacklog(), false);
                    return f;
                });
                return f;
            }
            // its constructor reads zookeeper.client.portUnification, and only there
            HarnessNettyServerCnxnFactory f =
                    JvmGlobals.withClientPortUnification(tls.plainToo(), HarnessNettyServerCnxnFactory::new);
            JvmGlobals.withSaslServerSection(saslSection, () -> {
                f.configure(clientBind, settings.maxClientCnxns(), settings.clientPortListenBacklog(), !tls.plainToo());
                return f;
            });
            f.bindNow();
            return f;
        });
        return new PeerProcess(id, group, factory, tls);
    }

    /** The peer of this run, for internal inspection; null before {@link #start}. */
    public QuorumPeer quorumPeer() {
        return peer;
    }

    /** When {@link #start} began, or null before. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The address the server really listens on for clients. */
    public InetSocketAddress boundClientAddress() {
        return factory.getLocalAddress();
    }

    /** Builds the peer and starts it. Returns once its ports are bound and election has begun. */
    public void start(Spec spec, PeerWiring wiring) throws IOException {
        JvmGlobals.awaitInstalled(); // no peer before ZooKeeper's JMX registry is replaced
        startedAt = Instant.now();
        peer = inGroup(group, "zk-harness-start-" + id, () -> {
            HarnessQuorumPeer p = new HarnessQuorumPeer(wiring);
            storage = configure(p, spec, factory);
            p.initialize();
            p.start();
            return p;
        });
        if (group instanceof NodeThreads threads) {
            threads.watch();
        }
    }

    /**
     * Every setting {@code QuorumPeerMain.runFromConfig} gives a peer, in its order, with the value
     * {@code QuorumPeerConfig} gives a {@code zoo.cfg} that does not name it, unless the harness says otherwise
     * (README, "What the harness changes in each peer"). {@code PeerConfigurationContractTest} fails when a
     * ZooKeeper version calls a setter that is not accounted for here.
     */
    static NodeStorage configure(HarnessQuorumPeer p, Spec spec, ServerCnxnFactory factory) throws IOException {
        ServerSettings settings = spec.settings();
        NodeStorage txnLog = new NodeStorage(spec.dataLogDir(), spec.dataDir(), spec.disk());
        p.setTxnFactory(txnLog);
        p.enableLocalSessions(settings.localSessionsEnabled());
        p.enableLocalSessionsUpgrading(settings.localSessionsUpgradingEnabled());
        p.setElectionType(ELECTION_ALGORITHM);
        p.setMyid(spec.id());
        p.setTickTime(spec.tickMs());
        p.setMinSessionTimeout(spec.minSessionMs());
        p.setMaxSessionTimeout(spec.maxSessionMs());
        p.setInitLimit(spec.initLimit());
        p.setSyncLimit(spec.syncLimit());
        p.setConnectToLearnerMasterLimit(settings.connectToLearnerMasterLimit());
        p.setObserverMasterPort(NO_OBSERVER_MASTER_PORT);
        // no setConfigFileName: there is no zoo.cfg, and ZooKeeper then writes no dynamic config files
        p.setClientPortListenBacklog(settings.clientPortListenBacklog());
        ZKDatabase database = new ZKDatabase(txnLog);
        settings.snapshotSizeFactor().ifPresent(database::setSnapshotSizeFactor);
        p.setZKDatabase(database);
        p.setQuorumVerifier(new QuorumMaj(toView(spec.view())), false);
        // no setLastSeenQuorumVerifier: ZooKeeper calls it only for a dynamic config file, and there is none
        p.initConfigInZKDatabase();
        p.setCnxnFactory(factory);
        p.setSecureCnxnFactory(null);
        p.setSslQuorum(p.quorumTlsWanted()); // per peer: HarnessQuorumPeer's own X509Util
        p.setUsePortUnification(false);
        p.setLearnerType(isObserver(spec) ? LearnerType.OBSERVER : LearnerType.PARTICIPANT);
        p.setSyncEnabled(settings.syncEnabled());
        p.setQuorumListenOnAllIPs(false);
        p.setMultiAddressEnabled(settings.multiAddressEnabled());
        p.setMultiAddressReachabilityCheckEnabled(settings.multiAddressReachabilityCheckEnabled());
        p.setMultiAddressReachabilityCheckTimeoutMs(settings.multiAddressReachabilityCheckTimeoutMs());
        p.setQuorumSasl(false); // and so none of the SASL setters ZooKeeper calls only with SASL on
        p.setConnectionThreads(settings.quorumCnxnThreadsSize());
        // no setJvmPauseMonitor: off unless zoo.cfg says jvm.pause.monitor=true
        return txnLog;
    }

    private static boolean isObserver(Spec spec) {
        return spec.view().stream().anyMatch(m -> m.id() == spec.id() && m.observer());
    }

    private static Map<Long, QuorumServer> toView(List<Member> members) {
        Map<Long, QuorumServer> view = new HashMap<>();
        for (Member m : members) {
            view.put(
                    m.id(),
                    new QuorumServer(
                            m.id(),
                            m.quorum(),
                            m.election(),
                            m.client(),
                            m.observer() ? LearnerType.OBSERVER : LearnerType.PARTICIPANT));
        }
        return view;
    }

    /** The role ZooKeeper reports now; {@link Role#STOPPED} once shut down. */
    public Role role() {
        QuorumPeer p = peer;
        if (p == null || !p.isRunning()) {
            return Role.STOPPED;
        }
        return switch (p.getPeerState()) {
            case LEADING -> Role.LEADER;
            case FOLLOWING -> Role.FOLLOWER;
            case OBSERVING -> Role.OBSERVER;
            case LOOKING ->
                factory.getZooKeeperServer() instanceof ReadOnlyZooKeeperServer ro && ro.isRunning()
                        ? Role.READ_ONLY
                        : Role.LOOKING;
        };
    }

    /** Whether it accepts client requests now: it has a role other than looking and its server runs. */
    public boolean serving() {
        QuorumPeer p = peer;
        if (p == null || !p.isRunning() || p.getPeerState() == QuorumPeer.ServerState.LOOKING) {
            return false;
        }
        ZooKeeperServer server = p.getActiveServer();
        return server != null && server.isRunning();
    }

    /** Whether it leads and its quorum port is bound (ZooKeeper binds it when it becomes leader). */
    public boolean listensAsLeader() {
        QuorumPeer p = peer;
        return p != null && p.isRunning() && p.leader != null;
    }

    /** Whether the peer was started and has not been shut down. */
    public boolean running() {
        QuorumPeer p = peer;
        return p != null && p.isRunning();
    }

    /** The id this peer currently believes leads, or -1. */
    public long leaderId() {
        QuorumPeer p = peer;
        Vote vote = p == null ? null : p.getCurrentVote();
        return vote == null ? -1 : vote.getId();
    }

    /** The last transaction applied to its in-memory database. */
    public long lastZxid() {
        QuorumPeer p = peer;
        if (p == null) {
            return 0;
        }
        ZooKeeperServer server = p.getActiveServer();
        if (server != null && server.getZKDatabase() != null) {
            return server.getZKDatabase().getDataTreeLastProcessedZxid();
        }
        return p.getLastLoggedZxid();
    }

    /** The current epoch from the peer's own record, or from the zxid when that is not readable. */
    public long epoch() {
        QuorumPeer p = peer;
        if (p == null) {
            return 0;
        }
        try {
            return p.getCurrentEpoch();
        } catch (IOException | RuntimeException e) {
            return ZxidUtils.getEpochFromZxid(lastZxid());
        }
    }

    /** The running ZooKeeper server behind this peer, or null while it is electing or stopped. */
    public ZooKeeperServer activeServer() {
        QuorumPeer p = peer;
        return p == null ? null : p.getActiveServer();
    }

    /** Sends a four-letter word straight to the server's own client port and returns its answer, byte for byte. */
    public String fourLetterWord(String command, Duration timeout) throws IOException {
        try (Socket socket =
                tls != null && !tls.plainToo() ? tls.fourLetterWords().createSocket() : new Socket()) {
            socket.connect(boundClientAddress(), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The process crashes, now: nothing more reaches its files (see {@link NodeStorage#crash()}). Call
     * {@link #shutdown} next to stop its threads; ZooKeeper's flushes on the way down are then dropped.
     */
    public void crash() {
        NodeStorage s = storage;
        if (s != null) {
            s.crash();
        }
    }

    /**
     * After {@link #crash()} and {@link #shutdown}: the power goes too, and what the log files got since their last
     * sync is lost but for what {@code survival} lets survive (null: nothing). Returns what it did to each file.
     */
    public List<UnsyncedTail.Cut> losePower(java.util.Random survival) throws IOException {
        NodeStorage s = storage;
        return s == null ? List.of() : s.losePower(survival);
    }

    /**
     * Shuts the peer down (ZooKeeper flushes what it has queued, unless {@link #crash()} came first) and waits for
     * its main thread. Without a peer
     * (start failed), closes the client port.
     */
    public void shutdown(Duration timeout) {
        QuorumPeer p = peer;
        if (p == null) {
            factory.shutdown();
            return;
        }
        NodeStorage s = storage;
        if (s != null) {
            s.stopping(); // a write held by a slow disk fault would hold up the shutdown
        }
        p.shutdown();
        try {
            p.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code task} in a fresh thread of {@code group}, so that every thread it creates joins the group. */
    static <T> T inGroup(ThreadGroup group, String name, Callable<T> task) throws IOException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                group,
                () -> {
                    try {
                        result.set(task.call());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(STEP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + name, e);
        }
        if (thread.isAlive()) {
            throw new IOException(name + " did not finish within " + STEP_TIMEOUT.toSeconds() + " s");
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IOException(t);
        }
        return result.get();
    }
}
