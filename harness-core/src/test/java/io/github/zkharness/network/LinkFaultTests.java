package io.github.zkharness.network;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.Fault;
import io.github.zkharness.Rate;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNetwork;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Held, slow and refused links; cut-off clients; sessions expired and dropped on the server side. */
class LinkFaultTests {

    private static int syncedFollowers(ZkNode leader) {
        for (String line : leader.fourLetterWord("mntr").split("\n")) {
            if (line.startsWith("zk_synced_followers\t")) {
                return Integer.parseInt(line.substring(line.indexOf('\t') + 1).trim());
            }
        }
        return -1;
    }

    @Test
    void aFrozenFollowerIsDroppedAfterTheSyncLimitAndCatchesUpWhenThawed() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.leader().connectString())) {
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            assertEquals(2, syncedFollowers(leader));
            long frozenAt = System.nanoTime();
            try (Fault frozen = zk.network().freeze(follower)) {
                assertEquals("freeze node " + follower.id(), frozen.description());
                // nothing is reset: the leader notices only when syncLimit x tickTime (500 ms) pass in silence
                await().atMost(Duration.ofSeconds(10)).until(() -> syncedFollowers(leader) == 1);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
                assertTrue(ms >= 400, "dropped after " + ms + " ms: too early for a timeout, was it a reset?");
                client.create("/while-frozen", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            follower.awaitServing(Duration.ofSeconds(20));
            Net.assertIdenticalData(zk);
        }
    }

    @Test
    void aOneWayCutFromTheLeaderStarvesTheFollowerAndHealingRestoresIt() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            try (Fault cut = zk.network().cut(leader, follower)) {
                assertEquals("cut " + leader.id() + "->" + follower.id(), cut.description());
                // the follower hears nothing from its leader (while its own pings flow): it gives up on it
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> follower.role() != Role.FOLLOWER || !follower.isServing());
                assertTrue(zk.findLeader().isPresent(), "the other two keep a quorum");
            }
            zk.awaitServing(Duration.ofSeconds(20));
            Net.assertIdenticalData(zk);
        }
    }

    @Test
    void latencyOnTheLeaderLinksSlowsWritesThroughAFollower() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).tickTime(Duration.ofMillis(500)).start()) {
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            try (ZooKeeper client = Clients.connect(follower.connectString())) {
                try (Fault slow = zk.network().latency(leader, follower, Duration.ofMillis(150), Duration.ZERO)) {
                    assertEquals("latency " + leader.id() + "<->" + follower.id() + " 150 ms", slow.description());
                    long start = System.nanoTime();
                    client.create("/slow", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    // forwarded to the leader (150 ms), committed back to the follower (150 ms)
                    assertTrue(ms >= 300, "write took " + ms + " ms through a 150 ms link each way");
                }
                assertNotNull(client.exists("/slow", false));
            }
        }
    }

    @Test
    void aCutOffClientMovesToAnotherServerAndKeepsItsSession() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            List<KeeperState> states = new CopyOnWriteArrayList<>();
            try (ZooKeeper client = Clients.connect(zk.connectString(), 10_000, e -> states.add(e.getState()))) {
                long session = client.getSessionId();
                client.create("/mine", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                ZkNode first = zk.node(serverOf(zk, session));
                try (Fault cut = zk.network().cutClients(first)) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> client.getState().isConnected()
                                    && serverOf(zk, session) > 0
                                    && serverOf(zk, session) != first.id());
                    assertTrue(states.contains(KeeperState.Disconnected));
                    assertEquals(session, client.getSessionId());
                    assertNotNull(client.exists("/mine", false), "the session and its ephemeral node survived");
                    assertTrue(first.isServing(), "the cut-off node itself stays in the ensemble");
                }
            }
        }
    }

    /** Which node holds the connection of {@code session} now, as the servers' own {@code cons} report it. */
    private static int serverOf(ZkEnsemble zk, long session) {
        for (ZkNode node : zk.nodes()) {
            if (node.isServing() && node.fourLetterWord("cons").contains("sid=0x" + Long.toHexString(session))) {
                return node.id();
            }
        }
        return -1;
    }

    @Test
    void anExpiredSessionLosesItsEphemeralsOnTheServerAndItsClientIsTold() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper observer = Clients.connect(zk.connectString())) {
            List<WatchedEvent> events = new CopyOnWriteArrayList<>();
            ZooKeeper owner = Clients.connect(zk.connectString(), 30_000, events::add);
            try {
                owner.create("/lock", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                List<WatchedEvent> deleted = new CopyOnWriteArrayList<>();
                // the observer's server may apply the create after the owner's did (reads are not linearizable)
                await().atMost(Duration.ofSeconds(10)).until(() -> observer.exists("/lock", deleted::add) != null);
                zk.expireSession(owner.getSessionId());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> deleted.stream().anyMatch(e -> e.getType() == EventType.NodeDeleted));
                assertNull(observer.exists("/lock", false));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> events.stream().anyMatch(e -> e.getState() == KeeperState.Expired));
            } finally {
                owner.close();
            }
        }
    }

    @Test
    void aDroppedConnectionReconnectsWithTheSameSession() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            List<KeeperState> states = new CopyOnWriteArrayList<>();
            try (ZooKeeper client = Clients.connect(zk.connectString(), 10_000, e -> states.add(e.getState()))) {
                client.create("/still-mine", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                zk.dropClientConnection(client.getSessionId());
                await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(KeeperState.Disconnected));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.getState().isConnected());
                assertFalse(states.contains(KeeperState.Expired));
                assertNotNull(client.exists("/still-mine", false));
            }
        }
    }

    @Test
    void faultsAreListedHealedOneByOneOrAllAtOnceAndHealingTwiceIsHarmless() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNetwork net = zk.network();
            Fault a = net.latency(zk.node(1), Duration.ofMillis(5), Duration.ofMillis(5));
            Fault b = net.bandwidth(zk.node(2), zk.node(3), Rate.bytesPerSecond(1_000_000));
            Fault c = net.stall(zk.node(1), zk.node(3));
            Fault d = net.bandwidth(zk.node(3), Rate.bytesPerSecond(10_000_000));
            assertEquals("bandwidth around node 3 10000000 B/s", d.description());
            d.heal();
            assertEquals(List.of(a, b, c), net.faults());
            assertEquals("latency around node 1 5 ms +5 ms jitter", a.description());
            assertTrue(
                    zk.describe()
                            .contains("faults: latency around node 1 5 ms +5 ms jitter, bandwidth 2<->3"
                                    + " 1000000 B/s, stall 1<->3"),
                    zk.describe());
            b.heal();
            b.heal();
            assertFalse(b.isActive());
            assertEquals(List.of(a, c), net.faults());
            net.healAll();
            net.healAll();
            assertTrue(net.faults().isEmpty());
            assertFalse(a.isActive());
            a.heal();
            zk.awaitServing(Duration.ofSeconds(20));
        }
    }

    @Test
    void badFaultArgumentsNameTheValue() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNetwork net = zk.network();
            assertEquals(
                    "latency must not be negative, got PT-0.01S",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> net.latency(zk.node(1), zk.node(2), Duration.ofMillis(-10), Duration.ZERO))
                            .getMessage());
            assertEquals(
                    "jitter must not be negative, got PT-0.001S",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> net.latency(zk.node(1), Duration.ZERO, Duration.ofMillis(-1)))
                            .getMessage());
            assertEquals(
                    "a rate must be at least 1 byte per second, got -5",
                    assertThrows(IllegalArgumentException.class, () -> Rate.bytesPerSecond(-5))
                            .getMessage());
            assertEquals(
                    "a rate must be at least 1 byte per second, got 0",
                    assertThrows(IllegalArgumentException.class, () -> Rate.kibPerSecond(0))
                            .getMessage());
            assertEquals(
                    "no node with id 0 in " + zk.name() + "; ids are [1, 2, 3]",
                    assertThrows(IllegalArgumentException.class, () -> net.freeze(zk.node(0)))
                            .getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> zk.expireSession(0x1234L))
                    .getMessage()
                    .endsWith("knows no session 0x1234"));
            assertEquals(
                    "no running server of " + zk.name() + " holds a connection for session 0x99",
                    assertThrows(IllegalArgumentException.class, () -> zk.dropClientConnection(0x99L))
                            .getMessage());
            assertTrue(net.faults().isEmpty());
        }
        try (ZkEnsemble plain = ZkEnsemble.builder().voters(1).links(false).start()) {
            assertEquals(
                    "ensemble " + plain.name() + " runs without links (links(false)), so it cannot isolate node 1",
                    assertThrows(
                                    IllegalStateException.class,
                                    () -> plain.network().isolate(plain.node(1)))
                            .getMessage());
        }
    }

    @Test
    void killingANodeKeepsTheFaultsInForce() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode isolated = zk.node(3);
            Fault f = zk.network().isolate(isolated);
            ZkNode other = zk.node(1);
            other.kill().restart();
            zk.awaitLeader(Duration.ofSeconds(20));
            // node 3 stays cut off through another node's crash and restart
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !isolated.isServing());
            assertNotEquals(Role.LEADER, isolated.role());
            f.heal();
            zk.awaitServing(Duration.ofSeconds(20));
        }
    }
}
