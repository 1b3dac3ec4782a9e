package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.StatsTrack;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What one test can leave in a shared ensemble, and the next test does not find: each fixture's first test
 * leaves something behind, its second asserts a clean ensemble.
 */
class ResetLeftoversEngineTests {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The defect reported: a znode only its creator may delete broke every later test of the class. */
    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class AclProtected {
        @Test
        @Order(1)
        void protectsAZnode(ZooKeeper client) throws Exception {
            client.addAuthInfo("digest", bytes("alice:secret"));
            client.create("/locked", bytes("mine"), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            client.create("/locked/child", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            client.create("/readonly", new byte[0], ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        }

        @Test
        @Order(2)
        void findsItGone(ZooKeeper client) throws Exception {
            assertThat(client.getChildren("/", false)).containsExactly("zookeeper");
            client.create("/locked", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    @Test
    void aclProtectedZnodesAreDeleted() {
        EngineExecutionResults results = EngineRuns.run(AclProtected.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
    }

    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class Quotas {
        @Test
        @Order(1)
        void setsAQuota(ZooKeeper client) throws Exception {
            client.create("/limited", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // what zkCli's setquota -n 2 /limited writes (its helper needs commons-cli)
            StatsTrack limits = new StatsTrack();
            limits.setCount(2);
            StatsTrack stats = new StatsTrack();
            stats.setCount(1);
            stats.setBytes(0);
            client.create("/zookeeper/quota/limited", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.create(
                    "/zookeeper/quota/limited/zookeeper_limits",
                    bytes(limits.toString()),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            client.create(
                    "/zookeeper/quota/limited/zookeeper_stats",
                    bytes(stats.toString()),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            assertThat(client.getChildren("/zookeeper/quota", false)).contains("limited");
        }

        @Test
        @Order(2)
        void findsNoQuota(ZooKeeper client) throws Exception {
            assertThat(client.getChildren("/zookeeper/quota", false)).isEmpty();
            assertThat(client.getChildren("/", false)).containsExactly("zookeeper");
        }
    }

    @Test
    void quotasAreDeleted() {
        EngineExecutionResults results = EngineRuns.run(Quotas.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
    }

    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class ContainersAndOpenSessions {
        static ZooKeeper leaked;

        @Test
        @Order(1)
        void leavesAContainerAndAnOpenSession(ZooKeeper client, ZkEnsemble ensemble) throws Exception {
            client.create("/box", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
            client.create("/box/item", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            leaked = new ZooKeeper(ensemble.connectString(), 30_000, event -> {});
            await().atMost(Duration.ofSeconds(20)).until(() -> leaked.getState().isConnected());
            leaked.create("/mine", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        }

        @Test
        @Order(2)
        void findsThemGone(ZooKeeper client) throws Exception {
            assertThat(client.getChildren("/", false)).containsExactly("zookeeper");
            // reset deletes the ephemerals of sessions a test left open, but not the sessions
            SEEN.add("leaked session " + leaked.getState());
        }

        @AfterAll
        static void closeLeaked() throws InterruptedException {
            leaked.close();
        }
    }

    @Test
    void containersAndEphemeralsOfOpenSessionsAreDeleted() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(ContainersAndOpenSessions.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(SEEN).containsExactly("leaked session CONNECTED");
    }

    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class Watches {
        @Test
        @Order(1)
        void watchesEverything(ZooKeeper client) throws Exception {
            client.addWatch("/", event -> {}, AddWatchMode.PERSISTENT_RECURSIVE);
            client.create("/watched", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.getData("/watched", true, null);
        }

        @Test
        @Order(2)
        void findsNoWatch(ZkEnsemble ensemble) {
            for (ZkNode node : ensemble.nodes()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> node.fourLetterWord("wchs"), text -> text.contains("Total watches:0"));
            }
        }
    }

    @Test
    void watchesOfClosedClientsAreGone() {
        EngineExecutionResults results = EngineRuns.run(Watches.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
    }

    /** ZooKeeper numbers sequential children from the parent's child version, which deleting does not undo. */
    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class SequentialNumbers {
        @Test
        @Order(1)
        void createsSequentialNodes(ZooKeeper client) throws Exception {
            SEEN.add(client.create(
                    "/lock-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
        }

        @Test
        @Order(2)
        void countsOnUnderTheRoot(ZooKeeper client) throws Exception {
            SEEN.add(client.create(
                    "/lock-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
            // the documented way to stable names: a parent per test, created by the test
            client.create("/t", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            SEEN.add(client.create(
                    "/t/lock-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
        }
    }

    @Test
    void sequentialNumbersUnderTheRootSurviveResetButNotUnderAFreshParent() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(SequentialNumbers.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).hasSize(3);
        assertThat(SEEN.get(0)).isEqualTo("/lock-0000000000");
        assertThat(SEEN.get(1)).isNotEqualTo("/lock-0000000000");
        assertThat(SEEN.get(2)).isEqualTo("/t/lock-0000000000");
    }

    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class FourLetterWordSideEffects {
        @Test
        @Order(1)
        void changesTheTraceMaskAndCountsRequests(ZooKeeper client, ZkEnsemble ensemble) throws Exception {
            ZkNode leader = ensemble.leader();
            setTraceMask(leader, 0xFFFF);
            assertThat(leader.fourLetterWord("gtmk").trim()).isEqualTo("65535");
            for (int i = 0; i < 200; i++) {
                client.exists("/nothing", false);
            }
            SEEN.add("before " + received(ensemble));
        }

        @Test
        @Order(2)
        void findsDefaultsAgain(ZkEnsemble ensemble) {
            assertThat(ensemble.leader().fourLetterWord("gtmk").trim()).isEqualTo("306");
            SEEN.add("after " + received(ensemble));
        }

        /** {@code stmk} takes the mask as 8 bytes after the word, which {@code fourLetterWord} does not send. */
        static void setTraceMask(ZkNode node, long mask) throws Exception {
            try (Socket socket = new Socket(
                    node.status().clientAddress().getAddress(),
                    node.status().clientAddress().getPort())) {
                socket.setSoTimeout(10_000);
                // one write: ZooKeeper reads the mask with a single read right after the word
                ByteBuffer request = ByteBuffer.allocate(12)
                        .put("stmk".getBytes(StandardCharsets.US_ASCII))
                        .putLong(mask);
                socket.getOutputStream().write(request.array());
                socket.getOutputStream().flush();
                socket.getInputStream().readAllBytes();
            }
        }

        /** The requests every server counted since its statistics were last reset. */
        static long received(ZkEnsemble ensemble) {
            long sum = 0;
            for (ZkNode node : ensemble.nodes()) {
                for (String line : node.fourLetterWord("srvr").split("\n")) {
                    if (line.startsWith("Received: ")) {
                        sum += Long.parseLong(
                                line.substring("Received: ".length()).trim());
                    }
                }
            }
            return sum;
        }
    }

    @Test
    void fourLetterWordSideEffectsAreUndone() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(FourLetterWordSideEffects.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).hasSize(2);
        long before = Long.parseLong(SEEN.get(0).substring("before ".length()));
        long after = Long.parseLong(SEEN.get(1).substring("after ".length()));
        assertThat(before).isGreaterThanOrEqualTo(200);
        assertThat(after).isLessThan(50);
    }
}
