package io.github.zkharness.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Planning only: what the seed decides, on a built (not started) ensemble. */
class ChaosScheduleTests {

    private static ZkEnsemble zk;

    @BeforeAll
    static void build() {
        zk = ZkEnsemble.builder().voters(3).observers(1).build();
    }

    @AfterAll
    static void close() {
        zk.close();
    }

    @Test
    void theSameSeedAndOptionsGiveTheSameSteps() {
        List<PlannedStep> a = ChaosSchedule.of(zk).seed(42).plan(500);
        List<PlannedStep> b = ChaosSchedule.of(zk).seed(42).plan(500);
        assertThat(a).isEqualTo(b);
        assertThat(a.stream().map(PlannedStep::describe).toList())
                .isEqualTo(b.stream().map(PlannedStep::describe).toList());
        assertThat(ChaosSchedule.of(zk).seed(43).plan(500)).isNotEqualTo(a);
        // a shorter plan is the start of a longer one
        assertThat(ChaosSchedule.of(zk).seed(42).plan(20)).isEqualTo(a.subList(0, 20));
        // every default kind shows up; RECOVER, disk and membership kinds never unless asked for
        Set<ChaosKind> kinds = a.stream().map(PlannedStep::kind).collect(Collectors.toSet());
        assertThat(kinds).isEqualTo(ChaosKind.defaults());
    }

    @Test
    void aSlowLogPowerLossIsDrawnOnlyWhenAskedForAndSaysWhatItSlowsAndWhenThePowerGoes() {
        assertThat(ChaosKind.defaults()).doesNotContain(ChaosKind.SLOW_LOG_POWER_LOSS);
        assertThat(ChaosKind.crashes()).doesNotContain(ChaosKind.SLOW_LOG_POWER_LOSS);
        assertThat(ChaosKind.drawable()).contains(ChaosKind.SLOW_LOG_POWER_LOSS);
        assertThat(ChaosKind.SLOW_LOG_POWER_LOSS.isHeld()).isTrue();
        List<PlannedStep> plan = ChaosSchedule.of(zk)
                .seed(42)
                .kinds(ChaosKind.SLOW_LOG_POWER_LOSS)
                .plan(200);
        assertThat(plan)
                .isEqualTo(ChaosSchedule.of(zk)
                        .seed(42)
                        .kinds(ChaosKind.SLOW_LOG_POWER_LOSS)
                        .plan(200));
        assertThat(plan).allSatisfy(p -> {
            assertThat(p.describe())
                    .matches("#\\d+ slow log power loss node \\d(, then the leader)? \\d+ ms, power loss after \\d+ ms,"
                            + " hold \\d+ ms, pause \\d+ ms");
            assertThat(p.latency().toMillis()).isBetween(50L, 500L);
            assertThat(p.crashAfter().toMillis()).isBetween(200L, 2000L);
        });
        assertThat(plan).anyMatch(PlannedStep::leader).anyMatch(p -> !p.leader());
    }

    @Test
    void theFirstStepsOfSeed42AreFixedForEver() {
        // Random's algorithm is specified by Java: these hold on every JVM, so a seed printed anywhere replays here
        assertThat(
                        ChaosSchedule.of(zk)
                                .seed(42)
                                .kinds(ChaosKind.KILL, ChaosKind.PARTITION, ChaosKind.CUT)
                                .plan(4)
                                .stream()
                                .map(PlannedStep::describe)
                                .toList())
                .isEqualTo(GOLDEN);
    }

    static final List<String> GOLDEN = List.of(
            "#1 cut 1->2, hold 381 ms, pause 954 ms",
            "#2 partition 2,3,4|1, hold 769 ms, pause 571 ms",
            "#3 cut 4->2, hold 1042 ms, pause 800 ms",
            "#4 partition 1,3,4|2, hold 726 ms, pause 492 ms");

    @Test
    void optionsShapeWhatIsDrawn() {
        List<PlannedStep> steps = ChaosSchedule.of(zk)
                .seed(7)
                .kinds(ChaosKind.PARTITION, ChaosKind.ISOLATE)
                .hold(Duration.ofMillis(100), Duration.ofMillis(200))
                .pause(Duration.ZERO, Duration.ofMillis(50))
                .recoverEvery(5, 8)
                .plan(200);
        assertThat(steps)
                .extracting(PlannedStep::kind)
                .containsOnly(ChaosKind.PARTITION, ChaosKind.ISOLATE, ChaosKind.RECOVER);
        for (PlannedStep s : steps) {
            if (s.kind() == ChaosKind.RECOVER) {
                assertThat(s.hold()).isZero();
            } else {
                assertThat(s.hold()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            }
            assertThat(s.pause()).isBetween(Duration.ZERO, Duration.ofMillis(50));
            if (s.kind() == ChaosKind.PARTITION) {
                assertThat(s.target()).matches("[1-4](,[1-4])*(\\|[1-4](,[1-4])*){1,2}");
            }
        }
        int last = 0;
        for (PlannedStep s : steps) {
            if (s.kind() == ChaosKind.RECOVER) {
                assertThat(s.index() - last).as("steps between recoveries").isBetween(5, 8);
                last = s.index();
            }
        }
        assertThat(last).isGreaterThan(150);
    }

    @Test
    void weightsMakeAKindMoreLikely() {
        List<PlannedStep> steps = ChaosSchedule.of(zk)
                .seed(1)
                .kinds(ChaosKind.KILL, ChaosKind.CUT)
                .weight(ChaosKind.CUT, 9)
                .plan(1000);
        long cuts = steps.stream().filter(s -> s.kind() == ChaosKind.CUT).count();
        assertThat(cuts).isBetween(850L, 950L);
    }

    @Test
    void theSystemPropertyOverridesTheSeed() {
        System.setProperty(ChaosSchedule.SEED_PROPERTY, "99");
        try {
            assertThat(ChaosSchedule.of(zk).seed(42).plan(50))
                    .isEqualTo(ChaosSchedule.of(zk).seed(99).plan(50));
            assertThat(ChaosSchedule.of(zk).seed(42).toString()).startsWith("ChaosSchedule.of(zk).seed(99L)");
        } finally {
            System.clearProperty(ChaosSchedule.SEED_PROPERTY);
        }
        System.setProperty(ChaosSchedule.SEED_PROPERTY, "forty-two");
        try {
            assertThatThrownBy(() -> ChaosSchedule.of(zk).plan(1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("-Dzkharness.chaos.seed must be a long, got \"forty-two\"");
        } finally {
            System.clearProperty(ChaosSchedule.SEED_PROPERTY);
        }
    }

    @Test
    void toStringIsTheCallThatReplaysIt() {
        assertThat(ChaosSchedule.of(zk).seed(42).toString()).isEqualTo("ChaosSchedule.of(zk).seed(42L).start()");
        assertThat(ChaosSchedule.of(zk)
                        .seed(-3)
                        .kinds(ChaosKind.KILL, ChaosKind.FREEZE)
                        .hold(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .maxFaultsInForce(2)
                        .recoverEvery(3, 4)
                        .toString())
                .isEqualTo(
                        "ChaosSchedule.of(zk).seed(-3L).kinds(ChaosKind.KILL, ChaosKind.FREEZE).hold(Duration.ofMillis(100),"
                                + " Duration.ofMillis(1000)).maxFaultsInForce(2).recoverEvery(3, 4).start()");
        // the printed call replays the same plan
        assertThat(ChaosSchedule.of(zk)
                        .seed(5)
                        .kinds(ChaosKind.KILL)
                        .weight(ChaosKind.CUT, 3)
                        .plan(30))
                .isEqualTo(ChaosSchedule.of(zk)
                        .seed(5)
                        .kinds(ChaosKind.KILL)
                        .weight(ChaosKind.KILL, 1)
                        .weight(ChaosKind.CUT, 3)
                        .plan(30));
        assertThat(ChaosSchedule.of(zk)
                        .seed(5)
                        .kinds(ChaosKind.KILL)
                        .weight(ChaosKind.CUT, 3)
                        .toString())
                .isEqualTo("ChaosSchedule.of(zk).seed(5L).kinds(ChaosKind.KILL).weight(ChaosKind.KILL, 1)"
                        + ".weight(ChaosKind.CUT, 3).start()");
    }

    @Test
    void badOptionsAreRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> ChaosSchedule.of(zk).kinds())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kinds needs at least one of [KILL, STOP,");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).kinds(ChaosKind.RECOVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("got RECOVER; use recoverEvery(min, max) for recoveries");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).hold(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hold needs 0 <= min <= max <= 10 min, got PT2S and PT1S");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).maxVotersDown(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxVotersDown must be between 0 and the 3 voters, got 4");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).maxFaultsInForce(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFaultsInForce must be between 1 and 10, got 0");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).recoverEvery(1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recoverEvery needs 2 <= min <= max <= 10000 steps, got 1 and 3");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).weight(ChaosKind.KILL, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a weight is between 0 and 1000, got -1 for KILL");
        assertThatThrownBy(() -> ChaosSchedule.of(zk).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("a chaos run needs a running ensemble; " + zk.name() + " is not running");
        assertThat(EnumSet.copyOf(ChaosKind.drawable())).doesNotContain(ChaosKind.RECOVER);
    }
}
