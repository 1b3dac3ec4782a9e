package io.github.zkharness.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's clients against a real standalone ZooKeeper server. */
class ClientsTests {

    @TempDir
    Path dir;

    @Test
    void aConnectedClientWritesAndReadsAndItsWatcherSeesTheConnection() throws Exception {
        List<KeeperState> states = new CopyOnWriteArrayList<>();
        try (StandaloneServer server = new StandaloneServer(dir);
                ZooKeeper zk = Clients.connect(server.connectString(), 10_000, e -> states.add(e.getState()))) {
            assertEquals(ZooKeeper.States.CONNECTED, zk.getState());
            assertTrue(states.contains(KeeperState.SyncConnected), states.toString());
            Clients.create(zk, "/a", "x\u00e9");
            assertEquals("x\u00e9", Clients.read(zk, "/a"));
        }
    }

    @Test
    void tryCreateSaysWhetherTheWriteWasTaken() throws Exception {
        try (StandaloneServer server = new StandaloneServer(dir);
                ZooKeeper zk = Clients.connect(server.connectString())) {
            assertTrue(Clients.tryCreate(zk, "/once"));
            assertFalse(Clients.tryCreate(zk, "/once"), "the node exists now");
            assertFalse(Clients.tryCreate(zk, "/no/parent"));
        }
    }

    @Test
    void createWithinCreatesAndANodeThatWasThereBeforeIsAnError() throws Exception {
        try (StandaloneServer server = new StandaloneServer(dir);
                ZooKeeper zk = Clients.connect(server.connectString())) {
            Clients.createWithin(zk, "/fresh", Duration.ofSeconds(10));
            assertNotNull(zk.exists("/fresh", false));
            Throwable e =
                    assertThrows(Throwable.class, () -> Clients.createWithin(zk, "/fresh", Duration.ofSeconds(10)));
            assertTrue(causes(e, KeeperException.NodeExistsException.class), "not a NodeExistsException: " + e);
        }
    }

    @Test
    void anOpenedClientConnectsInTheBackgroundAndCloseQuietlyClosesIt() throws Exception {
        try (StandaloneServer server = new StandaloneServer(dir)) {
            ZooKeeper zk = Clients.open(server.connectString(), 10_000);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> zk.getState().isConnected());
            } finally {
                Clients.closeQuietly(zk);
            }
            assertEquals(ZooKeeper.States.CLOSED, zk.getState());
            Clients.closeQuietly(zk); // twice is fine
            Clients.closeQuietly(null);
        }
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
