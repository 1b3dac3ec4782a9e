package io.github.zkharness.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.quorum.Learner;
import org.apache.zookeeper.server.quorum.MultipleAddresses;
import org.apache.zookeeper.server.quorum.QuorumCnxManager;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.junit.jupiter.api.Test;

/**
 * Pins every ZooKeeper internal that zk-harness leans on (HarnessQuorumPeer, JvmGlobals). When ZooKeeper is
 * upgraded and one of these changes, this test fails with the name of what moved, before anything subtler does.
 */
class ZooKeeperContractTest {

    private static Method method(Class<?> type, String name, Class<?>... params) {
        try {
            return type.getDeclaredMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("ZooKeeper changed: " + type.getName() + "." + name + " is gone; zk-harness's"
                + " HarnessQuorumPeer relies on it", e);
        }
    }

    private static void assertOverridable(Method m) {
        int mod = m.getModifiers();
        assertTrue((Modifier.isPublic(mod) || Modifier.isProtected(mod)) && !Modifier.isFinal(mod)
            && !Modifier.isStatic(mod), "ZooKeeper changed: " + m + " is no longer overridable");
    }

    @Test
    void theVersionIsTheOneTheseHooksWereCheckedAgainst() {
        assertEquals("3.9.5", Version.getFullVersion().split("-")[0],
            "ZooKeeper was upgraded: re-read the hooks listed in shared/ZOOKEEPER-NOTES.md, then update this test");
    }

    @Test
    void everyOutgoingPeerDialCanBeRedirected() {
        assertOverridable(method(QuorumPeer.class, "createCnxnManager"));
        assertOverridable(method(QuorumPeer.class, "makeFollower", FileTxnSnapLog.class));
        assertOverridable(method(QuorumPeer.class, "makeObserver", FileTxnSnapLog.class));
        assertOverridable(method(QuorumPeer.class, "makeLeader", FileTxnSnapLog.class));
        assertOverridable(method(Learner.class, "sockConnect", Socket.class, InetSocketAddress.class, int.class));
        assertOverridable(method(QuorumCnxManager.class, "initiateConnectionAsync", MultipleAddresses.class, Long.class));
        Method sync = method(QuorumCnxManager.class, "initiateConnection", MultipleAddresses.class, Long.class);
        assertTrue(Modifier.isPublic(sync.getModifiers()), "QuorumCnxManager.initiateConnection is no longer public");
        assertOverridable(method(QuorumPeer.class, "isReconfigEnabled"));
    }

    @Test
    void bindFailuresCanBeReportedInsteadOfExiting() {
        method(QuorumCnxManager.Listener.class, "setSocketBindErrorHandler", Runnable.class);
        method(org.apache.zookeeper.util.ServiceUtils.class, "setSystemExitProcedure", java.util.function.Consumer.class);
    }

    @Test
    void theJvmWideKnobsAreStillWhereJvmGlobalsSetsThem() {
        method(org.apache.zookeeper.jmx.MBeanRegistry.class, "setInstance", org.apache.zookeeper.jmx.MBeanRegistry.class);
        method(org.apache.zookeeper.server.command.FourLetterCommands.class, "resetWhiteList");
        method(org.apache.zookeeper.server.persistence.FileTxnLog.class, "setPreallocSize", long.class);
    }

    @Test
    void aLeaderIsVisibleThroughThePublicLeaderField() throws Exception {
        assertTrue(Modifier.isPublic(QuorumPeer.class.getField("leader").getModifiers()));
    }
}
