package io.github.zkharness.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.chaos.ChaosStep.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed step outcomes on a real ensemble: a step that cannot apply is skipped, a harness failure fails the run. */
class StepOutcomeTests {

    @Test
    void aStepThatCannotApplyIsSkippedWithItsReason() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ChaosRun run = ChaosSchedule.of(zk)
                    .seed(5)
                    .kinds(ChaosKind.EXPIRE_SESSION)
                    .sessions(List::of) // no session to expire
                    .pause(Duration.ofMillis(10), Duration.ofMillis(10))
                    .start();
            zk.await("3 chaos steps", Duration.ofSeconds(10), () -> run.steps().size() >= 3);
            run.close(); // skips do not fail the run
            assertThat(run.steps()).allSatisfy(s -> {
                assertThat(s.status()).isEqualTo(Status.SKIPPED);
                assertThat(s.detail()).isEqualTo("no session to pick (none given)");
                assertThat(s.failure()).isNull();
            });
            assertThat(run.failures()).isEmpty();
            int n = run.steps().size();
            assertThat(run.summary())
                    .startsWith("chaos seed 5: " + n + " steps: 0 done, 0 held, " + n + " skipped, 0 failed;");
        }
    }

    @Test
    void aHarnessTimeoutInsideAStepIsAFailureTheRunReports() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            // node 3 cut off by the test, not by the run: the run's recovery cannot bring it back
            Fault cutOff = zk.network().isolate(zk.node(3));
            zk.await(
                    "node 3 not serving",
                    Duration.ofSeconds(10),
                    () -> !zk.node(3).isServing());
            ChaosRun run = ChaosSchedule.of(zk)
                    .seed(11)
                    .kinds(ChaosKind.LATENCY)
                    .hold(Duration.ofMillis(20), Duration.ofMillis(20))
                    .pause(Duration.ZERO, Duration.ZERO)
                    .recoverEvery(2, 2)
                    .recoveryTimeout(Duration.ofMillis(300))
                    .start();
            zk.await(
                    "a failed step",
                    Duration.ofSeconds(20),
                    () -> !run.failures().isEmpty());
            ChaosStep failed = run.failures().get(0);
            assertThat(failed.kind()).isEqualTo(ChaosKind.RECOVER);
            assertThat(failed.failure()).isInstanceOf(ZkTimeoutException.class);
            assertThat(failed.detail()).startsWith("the harness timed out: ");
            assertThat(run.summary()).containsPattern(" skipped, [1-9][0-9]* failed;");
            cutOff.heal(); // so that close can bring every node back, and the failure alone fails it
            zk.awaitServing(); // close's own recovery has 300 ms too: start it from a serving ensemble
            assertThatThrownBy(run::close)
                    .isInstanceOf(ChaosException.class)
                    .hasMessageStartingWith("the chaos run (seed 11) had ")
                    .hasMessageContaining("RECOVER".toLowerCase() + " ")
                    .hasMessageContaining("FAILED")
                    .hasCauseInstanceOf(ZkTimeoutException.class);
        }
    }
}
