package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@code @ZkCluster(leader = ...)} and {@code leaderSeed} choose the voter that leads, and the reset between tests
 * puts it back after a test moved the leader.
 */
class LeaderPlacementEngineTests {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    @ZkCluster(leader = 1)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Fixture
    static class LowestIdLeads {
        @Test
        @Order(1)
        void firstTestMovesTheLeader(ZkEnsemble zk, @ZkLeader ZkNode leader) {
            SEEN.add("leader " + leader.id());
            zk.moveLeader(zk.node(3));
            SEEN.add("moved to " + zk.leader().id());
        }

        @Test
        @Order(2)
        void nextTestFindsThePlacementBack(@ZkLeader ZkNode leader) {
            SEEN.add("leader " + leader.id());
        }
    }

    @Test
    void leaderNamesTheVoterThatLeadsInEveryTest() {
        assertThat(EngineRuns.failures(EngineRuns.run(LowestIdLeads.class))).isEmpty();
        assertThat(SEEN).containsExactly("leader 1", "moved to 3", "leader 1");
    }

    @ZkCluster(leaderSeed = 42)
    @Fixture
    static class SeededLeader {
        @Test
        void test(ZkEnsemble zk, @ZkLeader ZkNode leader) {
            SEEN.add(zk.preferredLeader().orElseThrow().id() + " leads: " + leader.id());
        }
    }

    @Test
    void leaderSeedDrawsTheVoterThatLeads() {
        assertThat(EngineRuns.failures(EngineRuns.run(SeededLeader.class))).isEmpty();
        assertThat(SEEN).hasSize(1);
        String drawn = SEEN.get(0).substring(0, 1);
        assertThat(SEEN.get(0)).isEqualTo(drawn + " leads: " + drawn);
    }

    @ZkCluster(leaderSeed = 42)
    @Fixture
    static class SeededLeaderFails {
        @Test
        void fails(ZkEnsemble zk) {
            SEEN.add(String.valueOf(zk.preferredLeader().orElseThrow().id()));
            throw new AssertionError("the test's own assertion");
        }
    }

    @Test
    void aFailuresDiagnosticsNameThePreferredLeader() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(SeededLeaderFails.class));
        List<String> diagnostics = Arrays.stream(failure.getSuppressed())
                .filter(s -> s instanceof ZkClusterDiagnostics)
                .map(Throwable::getMessage)
                .toList();
        assertThat(diagnostics).hasSize(1);
        assertThat(diagnostics.get(0)).contains("failed:\n  preferred leader: node " + SEEN.get(0) + "\n  node 1: ");
    }

    @ZkCluster(leader = 2, leaderSeed = 42)
    @Fixture
    static class LeaderAndSeed {
        @Test
        void test() {}
    }

    @ZkCluster(nodes = 4, observers = 1, leader = 4)
    @Fixture
    static class ObserverLeader {
        @Test
        void test() {}
    }

    @Test
    void aLeaderAndASeedTogetherOrAnObserverAsLeaderAreRefusedWithTheValueAsWritten() {
        assertThat(EngineRuns.onlyFailure(EngineRuns.run(LeaderAndSeed.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @ZkCluster(leaderSeed = {42}) on class " + LeaderAndSeed.class.getName()
                        + ": leader = 2 names the leader already; set leader or leaderSeed, not both");
        assertThat(EngineRuns.onlyFailure(EngineRuns.run(ObserverLeader.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("on class " + ObserverLeader.class.getName())
                .hasMessageContaining("leader(LeaderPlacement.node(4)) names an observer");
    }
}
