package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Every parameter type the extension injects, and that the clients it injects are closed. */
class InjectionEngineTests {

    static final List<Object> CLIENTS = new CopyOnWriteArrayList<>();
    static final List<String> NOTES = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        CLIENTS.clear();
        NOTES.clear();
    }

    @ZkCluster(nodes = 4, observers = 1)
    @Fixture
    static class EveryType {
        @Test
        void everything(
                ZkEnsemble ensemble,
                ZooKeeper zooKeeper,
                CuratorFramework curator,
                @ZkConnectString String connectString,
                @ZkNodeId(2) ZkNode two,
                @ZkLeader ZkNode leader,
                @ZkNodeId(4) @ZkConnectString String observerOnly,
                @ZkLeader ZooKeeper leaderOnly)
                throws Exception {
            CLIENTS.add(zooKeeper);
            CLIENTS.add(curator);
            CLIENTS.add(leaderOnly);
            CLIENTS.add(curator.getZookeeperClient().getZooKeeper());
            assertThat(connectString).isEqualTo(ensemble.connectString());
            assertThat(connectString.split(",")).hasSize(4);
            assertSame(ensemble.node(2), two);
            assertThat(leader.role()).isEqualTo(Role.LEADER);
            assertThat(observerOnly).isEqualTo(ensemble.node(4).connectString());

            assertThat(zooKeeper.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
            zooKeeper.create("/plain", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(curator.getState()).isEqualTo(CuratorFrameworkState.STARTED);
            assertThat(curator.getZookeeperClient().isConnected()).isTrue();
            // the two injected clients may be on different servers: Curator's sees /plain once its server applied it
            ensemble.await("Curator's client to see /plain", Duration.ofSeconds(10), () -> {
                try {
                    return curator.checkExists().forPath("/plain") != null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            curator.create().forPath("/curator");
            assertThat(leaderOnly.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
            // the create returned once the server Curator uses applied it, which may be before the leader has (an
            // observer applies what the leader commits as the leader does): ZooKeeper's reads are not linearizable
            ensemble.await("the leader's client to see /curator", Duration.ofSeconds(10), () -> {
                try {
                    return leaderOnly.exists("/curator", false) != null;
                } catch (KeeperException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }
    }

    @Test
    void injectsEveryTypeAndClosesTheClientsAfterTheTest() {
        EngineExecutionResults results = EngineRuns.run(EveryType.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(((ZooKeeper) CLIENTS.get(0)).getState()).isEqualTo(ZooKeeper.States.CLOSED);
        assertThat(((CuratorFramework) CLIENTS.get(1)).getState()).isEqualTo(CuratorFrameworkState.STOPPED);
        assertThat(((ZooKeeper) CLIENTS.get(2)).getState()).isEqualTo(ZooKeeper.States.CLOSED);
        // the Curator client's session is closed when the test ends, though its socket teardown may still run
        assertThat(((ZooKeeper) CLIENTS.get(3)).getState()).isEqualTo(ZooKeeper.States.CLOSED);
    }

    @ZkCluster(nodes = 1)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class Lifecycles {
        static ZooKeeper fromBeforeAll;
        ZooKeeper fromBeforeEach;

        @BeforeAll
        static void beforeAll(ZooKeeper client) {
            fromBeforeAll = client;
            CLIENTS.add(client);
        }

        @BeforeEach
        void beforeEach(ZooKeeper client) {
            fromBeforeEach = client;
        }

        @Test
        @Order(1)
        void first(ZooKeeper client) {
            CLIENTS.add(fromBeforeEach);
            NOTES.add("distinct from @BeforeEach's: " + (client != fromBeforeEach));
        }

        @Test
        @Order(2)
        void second() {
            NOTES.add("previous @BeforeEach client " + ((ZooKeeper) CLIENTS.get(1)).getState());
            NOTES.add("@BeforeAll client " + fromBeforeAll.getState());
        }

        @AfterAll
        static void afterAll() {
            NOTES.add("@BeforeAll client in @AfterAll " + fromBeforeAll.getState());
        }
    }

    @Test
    void clientsLiveAsLongAsTheContextThatAskedForThem() {
        EngineExecutionResults results = EngineRuns.run(Lifecycles.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(NOTES)
                .containsExactly(
                        "distinct from @BeforeEach's: true",
                        "previous @BeforeEach client CLOSED",
                        "@BeforeAll client CONNECTED",
                        "@BeforeAll client in @AfterAll CONNECTED");
        assertThat(((ZooKeeper) CLIENTS.get(0)).getState()).isEqualTo(ZooKeeper.States.CLOSED);
    }
}
