package io.github.zkharness.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.chaos.ChaosStep.Status;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Convergence;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.ZkRegisterClient;
import io.github.zkharness.workload.ZkWorkload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The crash kinds of a chaos run: a power loss as a step, a power loss while a slow log holds a flush under load,
 * and a node that refuses its files after a crash.
 */
class CrashChaosTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void powerLossStepsCrashCutAndRestartNodesAndNoAcknowledgedWriteIsLost() throws Exception {
        History history = new History();
        ChaosRun run;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkRegisterClient register = ZkRegisterClient.renewing(
                    zk::newZooKeeper, new AtomicInteger()::incrementAndGet, history, "/register");
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(31)
                    .kinds(ChaosKind.POWER_LOSS)
                    .hold(Duration.ofMillis(200), Duration.ofMillis(500))
                    .pause(Duration.ofMillis(100), Duration.ofMillis(300))
                    .history(history)
                    .start()) {
                run = r;
                long deadline = System.nanoTime() + WAIT.toNanos();
                for (int i = 0;
                        r.steps().stream()
                                        .filter(s -> s.status() == Status.DONE)
                                        .count()
                                < 4;
                        i++) {
                    assertThat(System.nanoTime())
                            .as("4 steps done within %s: %s", WAIT, r.summary())
                            .isLessThan(deadline);
                    register.write("k" + (i % 3), String.valueOf(i));
                }
            } finally {
                register.close();
            }
            assertThat(zk.nodes()).allMatch(ZkNode::isServing);
            CheckResult durable = Durability.of(zk, "/register").check(history);
            assertThat(durable.verdict()).as(durable.toString()).isEqualTo(Verdict.VALID);
            CheckResult converged = Convergence.of(zk).check(history);
            assertThat(converged.verdict()).as(converged.toString()).isEqualTo(Verdict.VALID);
        }
        assertThat(run.failures()).as(run.summary()).isEmpty();
        List<ChaosStep> done =
                run.steps().stream().filter(s -> s.status() == Status.DONE).toList();
        assertThat(done)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.kind()).isEqualTo(ChaosKind.POWER_LOSS))
                .allSatisfy(s -> assertThat(s.detail())
                        .startsWith("cut the power of node ")
                        .contains("power-loss seed ")
                        .contains("restarted node "));
        assertThat(history.events()).extracting(Event::description).anyMatch(d -> d.contains("(power loss)"));
        CheckResult linear = Linearizability.register().check(history);
        assertThat(linear.verdict()).as(linear.toString()).isEqualTo(Verdict.VALID);
    }

    /**
     * {@link ChaosKind#SLOW_LOG_POWER_LOSS} composes two faults in one step: a node's log flushes are slowed, and a
     * drawn moment later, with a flush held, the power goes (of that node, or of the leader), under the workload's
     * load. Every step that ran healed the slow disk and restarted the crashed node, and ZooKeeper 3.9.5 lost nothing
     * acknowledged: the workload's checks (linearizability, durability, convergence among them) stay valid.
     */
    @Test
    void slowLogPowerLossStepsCutThePowerWhileAFlushIsHeldUnderLoadAndNothingAcknowledgedIsLost() {
        History history = new History();
        ChaosRun run;
        ZkWorkload workload;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            try (ZkWorkload w = ZkWorkload.of(zk, history).clients(3).seed(31).start()) {
                workload = w;
                try (ChaosRun r = ChaosSchedule.of(zk)
                        .seed(31)
                        .kinds(ChaosKind.SLOW_LOG_POWER_LOSS)
                        .hold(Duration.ofMillis(300), Duration.ofMillis(800))
                        .pause(Duration.ofMillis(200), Duration.ofMillis(500))
                        .maxFaultsInForce(1)
                        .history(history)
                        .start()) {
                    run = r;
                    zk.await(
                            "6 chaos steps done: " + r.summary(),
                            WAIT,
                            () -> r.steps().stream()
                                            .filter(s -> s.status() == Status.DONE)
                                            .count()
                                    >= 6);
                }
                zk.awaitServing(WAIT);
            }
            assertThat(zk.nodes()).allMatch(ZkNode::isServing);
            assertThat(run.failures()).as(run.summary()).isEmpty();
            List<ChaosStep> done =
                    run.steps().stream().filter(s -> s.status() == Status.DONE).toList();
            assertThat(done)
                    .hasSizeGreaterThanOrEqualTo(6)
                    .allSatisfy(s -> assertThat(s.kind()).isEqualTo(ChaosKind.SLOW_LOG_POWER_LOSS))
                    .allSatisfy(
                            s -> assertThat(s.detail())
                                    .matches(
                                            "flushes of node \\d+ \\d+ ms slower; after \\d+ ms, with a flush held, cut the"
                                                    + " power of node \\d+ \\(power-loss seed \\d+\\); healed; restarted node \\d+ .*"));
            assertThat(done)
                    .as("a step that cut the power of the node whose flushes it slowed")
                    .anyMatch(s -> s.detail().matches("flushes of node (\\d+) .* cut the power of node \\1 .*"));
            assertThat(history.events()).extracting(Event::description).anyMatch(d -> d.contains("(power loss)"));
            CheckResult result = workload.check();
            assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
        }
    }

    /**
     * A crash must leave files ZooKeeper starts from. The test damages the crashed node's log while the step holds it
     * down (as a bug of ZooKeeper's own writing could), and the step that crashed it fails with ZooKeeper's reason.
     */
    @Test
    void aNodeThatRefusesItsFilesAfterACrashFailsTheStepThatCrashedIt() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            try (ZooKeeper client = zk.newZooKeeper()) {
                for (int i = 0; i < 20; i++) { // every node has a log file, synced
                    client.create("/w" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            }
            AtomicReference<ZkNode> crashed = new AtomicReference<>();
            ChaosRun run = ChaosSchedule.of(zk)
                    .seed(5)
                    .kinds(ChaosKind.POWER_LOSS)
                    .hold(Duration.ofSeconds(3), Duration.ofSeconds(3))
                    .maxFaultsInForce(1)
                    .start();
            try (ChaosRun closedOnFailure = run) {
                zk.await(
                        "a node crashed by the run",
                        WAIT,
                        () -> zk.nodes().stream()
                                .filter(n -> n.state() == NodeState.KILLED)
                                .peek(crashed::set)
                                .findFirst()
                                .isPresent());
                crashed.get().disk().corruptLog();
                zk.await(
                        "the step that crashed node " + crashed.get().id() + " failed",
                        WAIT,
                        () -> !run.failures().isEmpty());
                assertThatThrownBy(run::close)
                        .isInstanceOf(ChaosException.class)
                        .hasMessageContaining("refused to start");
            }
            ChaosStep failed = run.failures().get(0);
            assertThat(failed.kind()).isEqualTo(ChaosKind.POWER_LOSS);
            assertThat(failed.detail())
                    .contains("a crash must leave files a server starts from, but node "
                            + crashed.get().id() + " refused to start: ZooKeeper could not load its data")
                    .contains("CRC check failed");
            assertThat(crashed.get().state()).isEqualTo(NodeState.KILLED);
            crashed.get().wipe(); // starts it empty: the ensemble resyncs it
            zk.awaitServing();
        }
    }
}
