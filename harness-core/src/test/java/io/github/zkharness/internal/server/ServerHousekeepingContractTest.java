package io.github.zkharness.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.internal.Loopback;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.ZooTrace;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link ServerHousekeeping} relies on in ZooKeeper: a connection given an id of scheme {@code super}
 * passes every ACL check, and only that connection; the default trace mask.
 */
class ServerHousekeepingContractTest {

    private static ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(20, TimeUnit.SECONDS), "no connection to " + connectString);
        return zk;
    }

    @Test
    void aConnectionWithTheSuperIdentityPassesEveryAclAndNoOtherDoes() throws Exception {
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(0, 10);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("zk-harness-contract-");
        ZooKeeperServer server = new ZooKeeperServer(dir.toFile(), dir.toFile(), 100);
        try {
            factory.configure(new java.net.InetSocketAddress(Loopback.ADDRESS, 0), 10);
            factory.startup(server);
            String connectString = "127.0.0.1:" + factory.getLocalPort();
            try (ZooKeeper alice = connect(connectString);
                    ZooKeeper harness = connect(connectString);
                    ZooKeeper bystander = connect(connectString)) {
                alice.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
                alice.create("/locked", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
                alice.create("/locked/child", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
                // deleting needs DELETE on the parent
                assertThrows(KeeperException.NoAuthException.class, () -> harness.delete("/locked/child", -1));

                assertTrue(ServerHousekeeping.grantSuperUser(server, harness.getSessionId()));
                assertFalse(ServerHousekeeping.grantSuperUser(server, 0x1234L), "no such session");

                assertThrows(KeeperException.NoAuthException.class, () -> bystander.delete("/locked/child", -1));
                harness.delete("/locked/child", -1);
                assertNull(alice.exists("/locked/child", false));
            }
        } finally {
            factory.shutdown();
            server.shutdown();
            org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
        }
    }

    @Test
    void theDefaultTraceMaskIsZooKeepersInitialOne() {
        // ZooTrace starts with client requests, server packets, sessions and warnings: 306
        assertEquals(306, ServerHousekeeping.DEFAULT_TRACE_MASK);
        assertEquals(
                ZooTrace.CLIENT_REQUEST_TRACE_MASK
                        | ZooTrace.SERVER_PACKET_TRACE_MASK
                        | ZooTrace.SESSION_TRACE_MASK
                        | ZooTrace.WARNING_TRACE_MASK,
                ServerHousekeeping.DEFAULT_TRACE_MASK);
    }
}
