package io.github.zkharness.internal.server;

import io.github.zkharness.Role;
import io.github.zkharness.internal.PeerBridge;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.PeerWiring;
import io.github.zkharness.internal.ServerSettings;
import io.github.zkharness.internal.UnsyncedTail;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.zookeeper.server.HarnessNettyServerCnxnFactory;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.quorum.Election;
import org.apache.zookeeper.server.quorum.HarnessQuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumCnxManager;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeer.LearnerType;
import org.apache.zookeeper.server.quorum.QuorumPeer.QuorumServer;
import org.apache.zookeeper.server.quorum.ReadOnlyZooKeeperServer;
import org.apache.zookeeper.server.quorum.Vote;
import org.apache.zookeeper.server.quorum.flexible.QuorumMaj;
import org.apache.zookeeper.server.quorum.flexible.QuorumVerifier;
import org.apache.zookeeper.server.util.ZxidUtils;
import org.apiguardian.api.API;

/**
 * One run of one server, on ZooKeeper's side of the {@link PeerBridge}: a {@link HarnessQuorumPeer} and its client
 * connection factory, built directly with public setters (never through {@code QuorumPeerConfig}, which turns
 * settings into JVM-wide system properties). Loaded in the server's class loader; the harness calls it through
 * the bridge only. The harness's {@code PeerProcess} runs every call that creates ZooKeeper threads in the node's
 * thread group.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ServerPeer implements PeerBridge {

    /** Fast leader election, the only algorithm ZooKeeper has (QuorumPeerConfig's default {@code electionAlg}). */
    public static final int ELECTION_ALGORITHM = 3;
    /** QuorumPeerConfig's default: no observer master port. */
    private static final int NO_OBSERVER_MASTER_PORT = 0;

    private volatile ServerCnxnFactory factory;
    private volatile HarnessQuorumPeer peer;
    private volatile NodeStorage storage;

    /** A server not bound yet. */
    public ServerPeer() {}

    @Override
    public void bind(long id, InetSocketAddress clientBind, ServerSettings settings, boolean tls, boolean plainToo)
            throws IOException {
        if (!tls) {
            NIOServerCnxnFactory f = new NIOServerCnxnFactory();
            f.configure(clientBind, settings.maxClientCnxns(), settings.clientPortListenBacklog(), false);
            factory = f;
            return;
        }
        // its constructor reads zookeeper.client.portUnification (PeerProcess set it for the moment)
        HarnessNettyServerCnxnFactory f = new HarnessNettyServerCnxnFactory();
        f.configure(clientBind, settings.maxClientCnxns(), settings.clientPortListenBacklog(), !plainToo);
        f.bindNow();
        factory = f;
    }

    @Override
    public InetSocketAddress boundClientAddress() {
        return factory.getLocalAddress();
    }

    @Override
    public void start(PeerProcess.Spec spec, PeerWiring wiring) throws IOException {
        HarnessQuorumPeer p = new HarnessQuorumPeer(wiring);
        storage = configure(p, spec, factory);
        p.initialize();
        p.start();
        peer = p;
    }

    /**
     * Every setting {@code QuorumPeerMain.runFromConfig} gives a peer, in its order, with the value
     * {@code QuorumPeerConfig} gives a {@code zoo.cfg} that does not name it, unless the harness says otherwise
     * (docs/guide/what-the-harness-does-to-your-jvm.md, the table of each peer's settings). {@code PeerConfigurationContractTest} fails when a
     * ZooKeeper version calls a setter that is not accounted for here.
     */
    static NodeStorage configure(HarnessQuorumPeer p, PeerProcess.Spec spec, ServerCnxnFactory factory)
            throws IOException {
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
        p.useQuorumSasl(); // per peer: the harness's JAAS sections for it, or off
        p.setConnectionThreads(settings.quorumCnxnThreadsSize());
        // no setJvmPauseMonitor: off unless zoo.cfg says jvm.pause.monitor=true
        return txnLog;
    }

    private static boolean isObserver(PeerProcess.Spec spec) {
        return spec.view().stream().anyMatch(m -> m.id() == spec.id() && m.observer());
    }

    private static Map<Long, QuorumServer> toView(List<PeerProcess.Member> members) {
        Map<Long, QuorumServer> view = new HashMap<>();
        for (PeerProcess.Member m : members) {
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

    @Override
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

    @Override
    public boolean serving() {
        QuorumPeer p = peer;
        if (p == null || !p.isRunning() || p.getPeerState() == QuorumPeer.ServerState.LOOKING) {
            return false;
        }
        ZooKeeperServer server = p.getActiveServer();
        return server != null && server.isRunning();
    }

    @Override
    public boolean listensAsLeader() {
        QuorumPeer p = peer;
        return p != null && p.isRunning() && p.leader != null;
    }

    @Override
    public boolean running() {
        QuorumPeer p = peer;
        return p != null && p.isRunning();
    }

    @Override
    public long leaderId() {
        QuorumPeer p = peer;
        Vote vote = p == null ? null : p.getCurrentVote();
        return vote == null ? -1 : vote.getId();
    }

    @Override
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

    @Override
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

    @Override
    public String version() {
        return ServerStatics.zooKeeperVersion();
    }

    @Override
    public Map<Long, Boolean> committedMembers() {
        QuorumPeer p = peer;
        QuorumVerifier committed = p == null || !p.isRunning() ? null : p.getQuorumVerifier();
        if (committed == null) {
            return null;
        }
        Map<Long, Boolean> members = new HashMap<>();
        committed.getObservingMembers().keySet().forEach(id -> members.put(id, false));
        committed.getVotingMembers().keySet().forEach(id -> members.put(id, true));
        return members;
    }

    @Override
    public void crash() {
        NodeStorage s = storage;
        if (s != null) {
            s.crash();
        }
    }

    @Override
    public List<UnsyncedTail.Cut> losePower(Random survival, Random snapshotSurvival) throws IOException {
        NodeStorage s = storage;
        return s == null ? List.of() : s.losePower(survival, snapshotSurvival);
    }

    @Override
    public void shutdown(Duration timeout) {
        QuorumPeer p = peer;
        if (p == null) {
            ServerCnxnFactory f = factory;
            if (f != null) {
                f.shutdown();
            }
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
        stopLateElection(p);
    }

    /**
     * Stops the election and connection manager {@code p} has now, once more. ZooKeeper's {@code shutdown()} stops
     * the ones it finds, but the peer's own thread may start fresh ones on its way out: a reconfiguration restarts
     * the election ({@code restartLeaderElection}, not synchronized with {@code shutdown()}), and a peer that looks
     * again restarts it too. Their listener would keep the election port bound, and an interrupt at close makes it
     * bind again rather than end (a removed observer's, in a CI run). Stopping twice is harmless.
     */
    private static void stopLateElection(QuorumPeer p) {
        Election election = p.getElectionAlg();
        if (election != null) {
            election.shutdown();
        }
        QuorumCnxManager manager = p.getQuorumCnxManager();
        if (manager != null) {
            manager.halt();
        }
    }

    /** The running ZooKeeper server behind this peer, or null while it is electing or stopped. */
    private ZooKeeperServer activeServer() {
        QuorumPeer p = peer;
        return p == null ? null : p.getActiveServer();
    }

    @Override
    public boolean grantSuperUser(long sessionId) {
        ZooKeeperServer server = activeServer();
        return server != null && ServerHousekeeping.grantSuperUser(server, sessionId);
    }

    @Override
    public boolean holdsSession(long sessionId) {
        ZooKeeperServer server = activeServer();
        return server != null && ServerHousekeeping.holdsSession(server, sessionId);
    }

    @Override
    public boolean dropConnection(long sessionId) {
        ZooKeeperServer server = activeServer();
        ServerCnxnFactory f = server == null ? null : ServerHousekeeping.clientFactory(server);
        if (f == null) {
            return false;
        }
        for (ServerCnxn cnxn : f.getConnections()) {
            if (cnxn.getSessionId() == sessionId) {
                cnxn.close(ServerCnxn.DisconnectReason.CONNECTION_CLOSE_FORCED);
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean tracksSession(long sessionId) {
        ZooKeeperServer server = activeServer();
        return server != null
                && server.getSessionTracker() != null
                && server.getSessionTracker().isTrackingSession(sessionId);
    }

    @Override
    public void expireSession(long sessionId) {
        ZooKeeperServer server = activeServer();
        if (server == null) {
            throw new IllegalStateException("the server does not run");
        }
        server.expire(sessionId);
    }

    @Override
    public void resetStatistics() {
        ServerHousekeeping.restoreTraceMask();
        ZooKeeperServer server = activeServer();
        if (server != null) {
            ServerHousekeeping.resetStatistics(server);
        }
    }

    @Override
    public Object zooKeeperPeer() {
        return peer;
    }
}
