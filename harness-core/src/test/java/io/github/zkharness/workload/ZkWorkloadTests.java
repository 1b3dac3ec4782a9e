package io.github.zkharness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.chaos.ChaosKind;
import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mixed workload on real ensembles, with and without crashes. */
class ZkWorkloadTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static long okCount(Map<String, Long> counts, String kind) {
        return counts.getOrDefault(kind + " OK", 0L);
    }

    @Test
    void everyKindOfOperationRunsAndTheHistoryIsValid() {
        History history = new History();
        ZkWorkload workload;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            try (ZkWorkload w = ZkWorkload.of(zk, history).clients(3).seed(7).start()) {
                workload = w;
                zk.await("every kind of operation done at least twice", WAIT, () -> {
                    Map<String, Long> c = w.counts();
                    return okCount(c, "write") >= 2
                            && okCount(c, "cas") >= 2
                            && okCount(c, "multi") >= 2
                            && okCount(c, "multi-read") >= 2
                            && okCount(c, "create-sequential") >= 2
                            && c.getOrDefault("ephemerals-closed", 0L) >= 2
                            && c.getOrDefault("ephemerals-expired", 0L) >= 2
                            && c.getOrDefault("acl", 0L) >= 2;
                });
            }
            CheckResult result = workload.check();
            assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
            assertThat(result.parts())
                    .extracting(CheckResult::checker)
                    .containsExactly("registers", "multi-atomic", "sequential-numbering", "durability", "convergence");
        }
        assertThat(workload.counts()).doesNotContainKey("acl-failed").doesNotContainKey("ephemerals-failed");
    }

    @Test
    void underKillsPowerLossesAndPartitionsNothingAcknowledgedIsLostAndTheServersConverge() {
        History history = new History();
        ChaosRun run;
        ZkWorkload workload;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            try (ZkWorkload w = ZkWorkload.of(zk, history).clients(3).seed(11).start()) {
                workload = w;
                try (ChaosRun r = ChaosSchedule.of(zk)
                        .seed(2026)
                        .kinds(ChaosKind.KILL, ChaosKind.POWER_LOSS, ChaosKind.PARTITION, ChaosKind.ISOLATE_LEADER)
                        .hold(Duration.ofMillis(300), Duration.ofMillis(900))
                        .pause(Duration.ofMillis(200), Duration.ofMillis(500))
                        .history(history)
                        .start()) {
                    run = r;
                    zk.await("8 chaos steps started", WAIT, () -> r.steps().size() >= 8);
                }
                zk.await("the workload wrote again after the run", WAIT, () -> okCount(w.counts(), "write") >= 5);
            }
            assertThat(run.failures()).as(run.summary()).isEmpty();
            CheckResult result = workload.check();
            assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
        }
    }

    @Test
    void badSettingsAndEarlyChecksAreRefusedByName() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            History history = new History();
            assertThatThrownBy(() -> ZkWorkload.of(zk, history).clients(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("clients must be 1 to 32, got 0");
            assertThatThrownBy(() -> ZkWorkload.of(zk, history).root("/zookeeper/x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("root must be an absolute znode path like /workload, not / and not under /zookeeper,"
                            + " got /zookeeper/x");
            assertThatThrownBy(() -> ZkWorkload.of(null, history))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("zk must not be null");
            try (ZkWorkload w = ZkWorkload.of(zk, history).clients(1).start()) {
                assertThatThrownBy(w::checkers)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("the workload still runs: close() it first");
            }
        }
    }

    @Test
    void theDigestOfAnAclIsZooKeepersOwn() throws Exception {
        assertThat(ZkWorkload.digest("workload-0", "secret"))
                .isEqualTo(org.apache.zookeeper.server.auth.DigestAuthenticationProvider.generateDigest(
                        "workload-0:secret"));
    }
}
