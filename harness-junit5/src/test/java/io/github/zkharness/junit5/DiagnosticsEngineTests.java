package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A failing test carries its ensemble's state at the moment it failed. */
class DiagnosticsEngineTests {

    static final List<String> NOTES = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        NOTES.clear();
    }

    @ZkCluster
    @Fixture
    static class FailsAfterAKill {
        @Test
        void fails(ZkEnsemble ensemble) {
            ZkNode leader = ensemble.leader();
            ZkNode victim = ensemble.followers().get(1);
            ZkNode survivor = ensemble.followers().get(0);
            victim.kill();
            Fault fault = ensemble.network().cutClients(survivor);
            NOTES.add(String.valueOf(leader.id()));
            NOTES.add(String.valueOf(survivor.id()));
            NOTES.add(String.valueOf(victim.id()));
            NOTES.add(fault.description());
            fail("the test's own assertion");
        }
    }

    @Test
    void aFailureCarriesEveryNodesStateStatsTheFaultsAndTheLogs() {
        EngineExecutionResults results = EngineRuns.run(FailsAfterAKill.class);
        Throwable failure = EngineRuns.onlyFailure(results);
        assertThat(failure).hasMessage("the test's own assertion");
        List<Throwable> diagnostics = Arrays.stream(failure.getSuppressed())
                .filter(s -> s instanceof ZkClusterDiagnostics)
                .toList();
        assertThat(diagnostics).hasSize(1);
        String state = diagnostics.get(0).getMessage();
        String leader = NOTES.get(0);
        String survivor = NOTES.get(1);
        String victim = NOTES.get(2);
        String fault = NOTES.get(3);

        assertThat(state)
                .matches("(?s)zk-harness-\\d+ when "
                        + FailsAfterAKill.class.getName().replace("$", "\\$") + "#fails\\(ZkEnsemble\\) failed:\n.*");
        assertThat(state)
                .contains(
                        "\n  node " + leader + ": LEADER, RUNNING, serving, last zxid 0x",
                        "\n  node " + survivor + ": FOLLOWER, RUNNING, serving, last zxid 0x",
                        "\n  node " + victim + ": STOPPED, KILLED, last zxid 0x",
                        "\n  faults:\n    - " + fault + "\n");
        assertThat(state)
                .contains(
                        "last zxid 0x",
                        ", ZooKeeper "
                                + io.github.zkharness.ZkVersion.classPath().version() + "\n");
        assertThat(lineAfter(state, "  node " + leader + ": "))
                .matches("    stats: zk_server_state=leader"
                        + " zk_znode_count=\\d+ zk_outstanding_requests=0 zk_followers=1 zk_synced_followers=1");
        assertThat(lineAfter(state, "  node " + survivor + ": "))
                .matches("    stats: zk_server_state=follower zk_znode_count=\\d+ zk_outstanding_requests=0");
        assertThat(lineAfter(state, "  node " + victim + ": ")).doesNotContain("stats");
        // logback is the backend here: each node's own lines, recognized by the logging thread's group
        for (String id : List.of(leader, survivor, victim)) {
            assertThat(state).containsPattern("\n  last \\d+ log lines of node " + id + ":\n    \\d\\d:\\d\\d:\\d\\d");
        }
        assertThat(lineAfter(state, "log lines of node " + leader + ":")).contains("[");
        assertThat(state)
                .as("logs are taken before the servers are asked for their stats")
                .doesNotContain("Processing srvr command");

        assertThat(EngineRuns.reportValues(results, ZkClusterDiagnostics.REPORT_KEY))
                .containsExactly(state);
    }

    private static String lineAfter(String text, String start) {
        int at = text.indexOf(start);
        assertThat(at).as("'%s' in %s", start, text).isNotNegative();
        int next = text.indexOf('\n', at);
        int end = text.indexOf('\n', next + 1);
        return text.substring(next + 1, end < 0 ? text.length() : end);
    }

    @ZkCluster
    @Fixture
    static class FailsAfterAThreadDied {
        @Test
        void fails(ZkEnsemble ensemble) throws InterruptedException {
            // the node's thread group, found through one of its threads, as a test could without the harness
            ThreadGroup group = Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getThreadGroup)
                    .filter(g -> g != null && g.getName().equals(ensemble.name() + "-node-2"))
                    .findFirst()
                    .orElseThrow();
            Thread t = new Thread(
                    group,
                    () -> {
                        throw new IllegalStateException("provoked by the test");
                    },
                    "WorkerReceiver[myid=2]");
            t.start();
            t.join(5_000);
            fail("the test's own assertion");
        }
    }

    @Test
    void aFailureNamesTheThreadsThatDiedWithWhatThatMeansAndWhere() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(FailsAfterAThreadDied.class));
        String state = Arrays.stream(failure.getSuppressed())
                .filter(s -> s instanceof ZkClusterDiagnostics)
                .findFirst()
                .orElseThrow()
                .getMessage();
        assertThat(state)
                .containsPattern("\n  node 2: [^\n]*\n(    stats: [^\n]*\n)?    thread died \\S+: thread "
                        + "WorkerReceiver\\[myid=2\\] died of IllegalStateException at DiagnosticsEngineTests"
                        + "\\.FailsAfterAThreadDied\\.lambda\\$fails\\$\\d+; this node can no longer read election votes\n"
                        + "      java.lang.IllegalStateException: provoked by the test\n        at ");
        assertThat(state.split("thread died ", -1))
                .as("one death, on node 2 only")
                .hasSize(2);
    }

    @ZkCluster
    @Fixture
    static class FailsWithAFullDisk {
        @Test
        void fails(ZkEnsemble ensemble) throws Exception {
            ZkNode follower = ensemble.followers().get(0);
            Fault full = follower.disk().fullLog();
            NOTES.add(String.valueOf(follower.id()));
            NOTES.add(full.description());
            try (var client = ensemble.newZooKeeper()) {
                client.create(
                        "/x",
                        new byte[0],
                        org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.PERSISTENT);
            }
            ensemble.await(
                    "node " + follower.id() + " failed a write",
                    () -> !follower.disk().failures().isEmpty());
            fail("the test's own assertion");
        }
    }

    @Test
    void aFailureListsTheDiskFaultsAndWhatTheyDid() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(FailsWithAFullDisk.class));
        String state = Arrays.stream(failure.getSuppressed())
                .filter(s -> s instanceof ZkClusterDiagnostics)
                .findFirst()
                .orElseThrow()
                .getMessage();
        String id = NOTES.get(0);
        assertThat(state).contains("\n  faults:\n    - " + NOTES.get(1) + "\n");
        assertThat(state)
                .containsPattern("\n  node " + id + ": [^\n]*\n(    stats: [^\n]*\n)?    disk \\S+: "
                        + "transaction log append failed: No space left on device on SyncThread:" + id);
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class FailsInBeforeEach {
        @BeforeEach
        void before() {
            throw new IllegalStateException("set-up failed");
        }

        @Test
        void test() {}
    }

    @Test
    void aFailingBeforeEachMethodCarriesTheStateToo() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(FailsInBeforeEach.class));
        assertThat(failure).hasMessage("set-up failed");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0])
                .isInstanceOf(ZkClusterDiagnostics.class)
                .hasMessageContaining("when the @BeforeEach method of ")
                .hasMessageContaining("\n  node 1: LEADER, RUNNING, serving, last zxid 0x");
    }

    @ZkCluster(nodes = 1)
    @Fixture
    static class Aborted {
        @Test
        void assumptionFails() {
            Assumptions.assumeTrue(false, "not today");
        }
    }

    @Test
    void anAbortedTestCarriesNothing() {
        EngineExecutionResults results = EngineRuns.run(Aborted.class);
        results.testEvents().assertStatistics(s -> s.aborted(1));
        Throwable aborted = results.testEvents().aborted().stream()
                .findFirst()
                .orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(aborted.getSuppressed()).isEmpty();
        assertThat(EngineRuns.reportValues(results, ZkClusterDiagnostics.REPORT_KEY))
                .isEmpty();
    }
}
