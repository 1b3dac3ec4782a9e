package io.github.zkharness.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.zookeeper.common.X509Util;
import org.apache.zookeeper.common.ZKConfig;
import org.apache.zookeeper.jmx.MBeanRegistry;
import org.apache.zookeeper.server.HarnessNettyServerCnxnFactory;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.quorum.FastLeaderElection;
import org.apache.zookeeper.server.quorum.Learner;
import org.apache.zookeeper.server.quorum.MultipleAddresses;
import org.apache.zookeeper.server.quorum.PreferredLeaderElection;
import org.apache.zookeeper.server.quorum.QuorumCnxManager;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.auth.NullQuorumAuthLearner;
import org.apache.zookeeper.server.quorum.auth.NullQuorumAuthServer;
import org.apache.zookeeper.server.quorum.flexible.QuorumMaj;
import org.apache.zookeeper.util.ServiceUtils;
import org.junit.jupiter.api.Test;

/**
 * Pins every ZooKeeper internal that zk-harness leans on (HarnessQuorumPeer, JvmGlobals). When ZooKeeper is
 * upgraded and one of these changes, this test fails with the name of what moved, before anything subtler does.
 * The build runs it on the project's ZooKeeper (3.9) and, in the compat-zookeeper-38 module, on the newest 3.8.
 */
class ZooKeeperContractTest {

    /**
     * The releases whose internals were read against the hooks below (shared/ZOOKEEPER-NOTES.md, "Versions") and
     * that the build runs this test on. One per line of {@link ZooKeeperVersion#SUPPORTED_LINES}.
     */
    private static final Set<String> CHECKED = Set.of("3.8.6", "3.9.5");

    private static Method method(Class<?> type, String name, Class<?>... params) {
        try {
            return type.getDeclaredMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(
                    "ZooKeeper changed: " + type.getName() + "." + name + " is gone; zk-harness's"
                            + " HarnessQuorumPeer relies on it",
                    e);
        }
    }

    private static void assertOverridable(Method m) {
        int mod = m.getModifiers();
        assertTrue(
                (Modifier.isPublic(mod) || Modifier.isProtected(mod))
                        && !Modifier.isFinal(mod)
                        && !Modifier.isStatic(mod),
                "ZooKeeper changed: " + m + " is no longer overridable");
    }

    @Test
    void theVersionIsOneTheseHooksWereCheckedAgainst() {
        String found = ZooKeeperVersion.found();
        assertTrue(
                CHECKED.contains(found),
                "ZooKeeper " + found + " is new to zk-harness (checked: "
                        + new TreeSet<>(CHECKED)
                        + "): re-read the hooks listed in shared/ZOOKEEPER-NOTES.md, run this test and"
                        + " the compat module on it, then add it to CHECKED (and its line to ZooKeeperVersion.SUPPORTED_LINES)");
        assertTrue(
                ZooKeeperVersion.isSupported(found),
                "ZooKeeper " + found + " was checked but its line is not in " + ZooKeeperVersion.SUPPORTED_LINES);
    }

    @Test
    void everySupportedLineHasACheckedRelease() {
        Set<String> checkedLines = new TreeSet<>();
        for (String version : CHECKED) {
            checkedLines.add(version.substring(0, version.lastIndexOf('.')));
        }
        assertEquals(
                new TreeSet<>(ZooKeeperVersion.SUPPORTED_LINES),
                checkedLines,
                "ZooKeeperVersion.SUPPORTED_LINES promises a line no release of which was checked here, or the reverse");
        assertTrue(
                CHECKED.contains(ZooKeeperVersion.BUILT_AGAINST),
                "the version the error message suggests (" + ZooKeeperVersion.BUILT_AGAINST + ") was never checked");
    }

    @Test
    void everyOutgoingPeerDialCanBeRedirected() {
        assertOverridable(method(QuorumPeer.class, "createCnxnManager"));
        assertOverridable(method(QuorumPeer.class, "makeFollower", FileTxnSnapLog.class));
        assertOverridable(method(QuorumPeer.class, "makeObserver", FileTxnSnapLog.class));
        assertOverridable(method(QuorumPeer.class, "makeLeader", FileTxnSnapLog.class));
        assertOverridable(method(Learner.class, "sockConnect", Socket.class, InetSocketAddress.class, int.class));
        assertOverridable(
                method(QuorumCnxManager.class, "initiateConnectionAsync", MultipleAddresses.class, Long.class));
        Method sync = method(QuorumCnxManager.class, "initiateConnection", MultipleAddresses.class, Long.class);
        assertTrue(Modifier.isPublic(sync.getModifiers()), "QuorumCnxManager.initiateConnection is no longer public");
        assertOverridable(method(QuorumPeer.class, "isReconfigEnabled"));
    }

    @Test
    void bindFailuresCanBeReportedInsteadOfExiting() {
        method(QuorumCnxManager.Listener.class, "setSocketBindErrorHandler", Runnable.class);
        method(ServiceUtils.class, "setSystemExitProcedure", Consumer.class);
    }

    @Test
    void theJvmWideKnobsAreStillWhereJvmGlobalsSetsThem() {
        method(MBeanRegistry.class, "setInstance", MBeanRegistry.class);
        method(FourLetterCommands.class, "resetWhiteList");
        method(FileTxnLog.class, "setPreallocSize", long.class);
    }

    /**
     * PreferredLeaderElection: QuorumPeer builds its election in an overridable method, from a public constructor
     * of FastLeaderElection whose order of candidates is an overridable predicate, and keeps the connection
     * manager in the private reference that reconfiguration reads. ZooKeeper's order itself (epoch, then zxid,
     * then id; no vote for weight 0) is what the leader placement tests see on real ensembles.
     */
    @Test
    void theElectionCanPreferAVoterAmongEquals() throws Exception {
        assertOverridable(method(QuorumPeer.class, "createElectionAlgorithm", int.class));
        assertOverridable(method(
                FastLeaderElection.class,
                "totalOrderPredicate",
                long.class,
                long.class,
                long.class,
                long.class,
                long.class,
                long.class));
        assertTrue(Modifier.isPublic(FastLeaderElection.class
                .getConstructor(QuorumPeer.class, QuorumCnxManager.class)
                .getModifiers()));
        Field managerRef = QuorumPeer.class.getDeclaredField("qcmRef");
        assertEquals(AtomicReference.class, managerRef.getType(), "QuorumPeer.qcmRef changed type");
        assertTrue(Modifier.isPublic(QuorumCnxManager.class.getField("listener").getModifiers()));
        assertTrue(Modifier.isPublic(method(QuorumCnxManager.class, "halt").getModifiers()));
        assertEquals(
                PreferredLeaderElection.FAST_LEADER_ELECTION,
                io.github.zkharness.internal.server.ServerPeer.ELECTION_ALGORITHM,
                "the harness builds its peers with an election type its election replaces");
    }

    @Test
    void aLeaderIsVisibleThroughThePublicLeaderField() throws Exception {
        assertTrue(Modifier.isPublic(QuorumPeer.class.getField("leader").getModifiers()));
    }

    @Test
    void tlsHooksAreWhereTheHarnessUsesThem() throws Exception {
        // per-peer quorum TLS: the package-private hook HarnessQuorumPeer overrides, and the public context getter
        Method hook = QuorumPeer.class.getDeclaredMethod("createX509Util");
        assertTrue(!Modifier.isPrivate(hook.getModifiers()) && !Modifier.isFinal(hook.getModifiers()));
        assertOverridable(method(X509Util.class, "getDefaultSSLContextAndOptions"));
        method(X509Util.class, "createSSLContextAndOptions", ZKConfig.class);
        // the client port: the x509 provider the Netty factory takes its key and trust managers from
        method(ProviderRegistry.class, "addOrUpdateProvider", String.class);
        method(ProviderRegistry.class, "removeProvider", String.class);
        // the Netty factory's channel-group executor, which ZooKeeper never shuts down and the harness does
        HarnessNettyServerCnxnFactory factory = new HarnessNettyServerCnxnFactory();
        EventExecutor executor = factory.channelGroupExecutor();
        factory.shutdown();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS), "the channel group's executor did not end");
    }

    /**
     * HarnessQuorumPeer's secured dials ({@code PeerWiring.dialsSoon}) skip a dial from a lower id to a higher one
     * while the higher one dials anyway, because ZooKeeper keeps only the election connection the higher id dialed:
     * a lower id that dials a higher one sends its id and hangs up; a higher id dialed by a lower one hangs up too and
     * dials back. Checked on a real connection manager over real sockets.
     */
    @Test
    void onlyTheElectionConnectionTheHigherIdDialedIsKept() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket lower = new ServerSocket(0, 5, loopback);
                ServerSocket higher = new ServerSocket(0, 5, loopback);
                ServerSocket own = new ServerSocket(0, 5, loopback)) {
            lower.setSoTimeout(10_000);
            higher.setSoTimeout(10_000);
            own.setSoTimeout(10_000);
            Map<Long, QuorumPeer.QuorumServer> view = new HashMap<>();
            view.put(1L, server(1, lower.getLocalPort()));
            view.put(2L, server(2, own.getLocalPort()));
            view.put(3L, server(3, higher.getLocalPort()));
            QuorumPeer peer = new QuorumPeer();
            peer.setMyid(2);
            peer.setQuorumVerifier(new QuorumMaj(view), false);
            QuorumCnxManager manager = new QuorumCnxManager(
                    peer,
                    2,
                    peer.getView(),
                    new NullQuorumAuthServer(),
                    new NullQuorumAuthLearner(),
                    5_000,
                    false,
                    3,
                    false);
            try {
                // 2 dials 3: it sends its id, then hangs up
                manager.initiateConnection(
                        new MultipleAddresses(new InetSocketAddress(loopback, higher.getLocalPort())), 3L);
                try (Socket dialed = higher.accept()) {
                    assertEquals(2, handshakeSid(dialed), "the id a dialing peer sends");
                    assertEquals(
                            -1,
                            dialed.getInputStream().read(),
                            "ZooKeeper changed: a lower id keeps the"
                                    + " election connection it dialed to a higher id; HarnessQuorumPeer's secured dials assume"
                                    + " it hangs up");
                }
                // 1 dials 2: 2 hangs up and dials 1 back
                try (Socket fromLower = new Socket(loopback, own.getLocalPort());
                        Socket accepted = own.accept()) {
                    DataOutputStream out = new DataOutputStream(fromLower.getOutputStream());
                    out.writeLong(1); // the oldest handshake: the sid alone, no address
                    out.flush();
                    manager.receiveConnection(accepted);
                    fromLower.setSoTimeout(10_000);
                    assertEquals(
                            -1,
                            fromLower.getInputStream().read(),
                            "ZooKeeper changed: a higher id keeps the"
                                    + " election connection a lower id dialed; HarnessQuorumPeer's secured dials assume it hangs up");
                    try (Socket back = lower.accept()) {
                        assertEquals(2, handshakeSid(back), "ZooKeeper changed: the higher id did not dial back");
                    }
                }
            } finally {
                manager.halt();
            }
        }
    }

    private static QuorumPeer.QuorumServer server(long id, int electionPort) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new QuorumPeer.QuorumServer(
                id, new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, electionPort));
    }

    /** Reads the start of an election handshake (protocol version, sid, advertised address) and returns the sid. */
    private static long handshakeSid(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        long first = in.readLong();
        if (first >= 0) {
            return first; // the oldest handshake: the sid alone
        }
        long sid = in.readLong();
        in.readFully(new byte[in.readInt()]);
        return sid;
    }
}
