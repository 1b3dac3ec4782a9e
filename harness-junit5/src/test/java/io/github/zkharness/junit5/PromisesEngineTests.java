package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Promises of the JUnit door: pinned Curator clients, session bounds on the annotation, seeds. */
class PromisesEngineTests {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    /** Whether {@code node}'s server lists a connection of {@code session} ({@code cons} prints sid=0x...). */
    static boolean holds(ZkNode node, long session) {
        return node.fourLetterWord("cons").contains("sid=0x" + Long.toHexString(session));
    }

    @ZkCluster(nodes = 3)
    @Fixture
    static class PinnedCuratorStaysPinned {
        @Test
        void neverMoves(@ZkNodeId(2) CuratorFramework curator, ZkEnsemble ensemble) throws Exception {
            for (int i = 0; i < 20; i++) {
                curator.create().forPath("/p" + i);
            }
            // Curator's tracker, were it on, would have read /zookeeper/config by now and widened the string
            SEEN.add(
                    curator.getZookeeperClient()
                                    .getCurrentConnectionString()
                                    .equals(ensemble.node(2).connectString())
                            ? "node 2 alone"
                            : "widened");
            long session = curator.getZookeeperClient().getZooKeeper().getSessionId();
            ensemble.node(2).kill();
            // for 3 s, neither other node may ever hold the client's session
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (ZkNode other : List.of(ensemble.node(1), ensemble.node(3))) {
                            if (holds(other, session)) {
                                SEEN.add("moved to node " + other.id());
                                return false;
                            }
                        }
                        return true;
                    });
            SEEN.add("done");
        }
    }

    @Test
    void aPinnedCuratorClientDoesNotMoveWhenItsNodeDies() {
        EngineExecutionResults results = EngineRuns.run(PinnedCuratorStaysPinned.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).containsExactly("node 2 alone", "done");
    }

    @ZkCluster(
            nodes = 3,
            sessionTimeoutsMs = {200, 4_000})
    @Fixture
    static class SessionBounds {
        @Test
        void clamped(ZooKeeper client) {
            SEEN.add("session " + client.getSessionTimeout());
        }
    }

    @Test
    void sessionTimeoutsOnTheAnnotationBoundWhatClientsGet() {
        EngineExecutionResults results = EngineRuns.run(SessionBounds.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).containsExactly("session 4000"); // injected clients ask for 30 s
    }

    @ZkCluster(
            nodes = 3,
            sessionTimeoutsMs = {200})
    @Fixture
    static class OneSessionBound {
        @Test
        void test() {}
    }

    @Test
    void sessionTimeoutsNeedTwoValues() {
        assertThat(EngineRuns.onlyFailure(EngineRuns.run(OneSessionBound.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(sessionTimeoutsMs = {200}) on class " + OneSessionBound.class.getName()
                        + ": session timeouts are {min, max} in milliseconds, two values");
    }

    @ZkCluster(nodes = 3)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class Seeded {
        @ZkSeed
        static void config(ZkEnsemble zk) throws Exception {
            try (ZooKeeper client = zk.newZooKeeper()) {
                client.create(
                        "/config",
                        "v1".getBytes(StandardCharsets.UTF_8),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
        }

        @Test
        @Order(1)
        void changesTheSeed(ZooKeeper client) throws Exception {
            SEEN.add(new String(client.getData("/config", false, null), StandardCharsets.UTF_8));
            client.setData("/config", "v2".getBytes(StandardCharsets.UTF_8), -1);
            client.create("/other", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }

        @Test
        @Order(2)
        void findsTheSeedAgain(ZooKeeper client) throws Exception {
            SEEN.add(new String(client.getData("/config", false, null), StandardCharsets.UTF_8));
            SEEN.add(String.valueOf(
                    client.getChildren("/", false).stream().sorted().toList()));
        }
    }

    @Test
    void seedsRunAfterTheStartAndAfterEveryReset() {
        EngineExecutionResults results = EngineRuns.run(Seeded.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(SEEN).containsExactly("v1", "v1", "[config, zookeeper]");
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class BadSeed {
        @ZkSeed
        void notStatic(ZkEnsemble zk) {}

        @Test
        void test() {}
    }

    @Test
    void aSeedMethodMustBeStaticAndTakeTheEnsemble() {
        assertThat(EngineRuns.onlyFailure(EngineRuns.run(BadSeed.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@ZkSeed method")
                .hasMessageContaining("must be static and take one ZkEnsemble parameter");
    }
}
