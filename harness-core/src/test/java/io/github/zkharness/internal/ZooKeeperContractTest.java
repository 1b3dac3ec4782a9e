package io.github.zkharness.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.Socket;
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
}
