package io.github.zkharness.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.chaos.ChaosStep.Status;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Chaos runs on real ensembles. */
class ChaosRunTests {

    @Test
    void aRunAppliesStepsRecordsThemAndLeavesEveryNodeServing() {
        History history = new History();
        List<ChaosStep> seen = new CopyOnWriteArrayList<>();
        ChaosRun run;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start()) {
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(7)
                    .hold(Duration.ofMillis(100), Duration.ofMillis(400))
                    .pause(Duration.ofMillis(20), Duration.ofMillis(100))
                    .maxFaultsInForce(2)
                    .history(history)
                    .onStep(seen::add)
                    .start()) {
                run = r;
                zk.await(
                        "20 steps started",
                        Duration.ofSeconds(60),
                        () -> r.steps().size() >= 20);
            }
            assertThat(zk.nodes()).allMatch(ZkNode::isServing);
            assertThat(zk.network().faults()).isEmpty();
            assertThat(zk.nodes()).extracting(ZkNode::state).containsOnly(NodeState.RUNNING);
        }
        List<ChaosStep> steps = run.steps();
        assertThat(steps).hasSizeGreaterThanOrEqualTo(20);
        assertThat(steps)
                .extracting(ChaosStep::status)
                .doesNotContain(Status.HELD, Status.FAILED)
                .contains(Status.DONE);
        for (int i = 0; i < steps.size(); i++) {
            ChaosStep s = steps.get(i);
            assertThat(s.index()).isEqualTo(i + 1);
            assertThat(s.ended()).as(s.toString()).isNotNull();
            assertThat(s.ended()).as(s.toString()).isGreaterThanOrEqualTo(s.started());
        }
        // the steps are the seed's plan, in order
        try (ZkEnsemble same = ZkEnsemble.builder().voters(3).observers(1).build()) {
            assertThat(steps)
                    .extracting(ChaosStep::planned)
                    .isEqualTo(ChaosSchedule.of(same)
                            .seed(7)
                            .hold(Duration.ofMillis(100), Duration.ofMillis(400))
                            .pause(Duration.ofMillis(20), Duration.ofMillis(100))
                            .maxFaultsInForce(2)
                            .plan(steps.size()));
        }
        // the listener saw every step end
        for (ChaosStep s : steps) {
            assertThat(seen).contains(s);
        }
        // the history: the seed, every applied step as one or more fault bands that end, the roles
        List<Event> events = history.events();
        assertThat(events.get(0).kind()).isEqualTo(ChaosRun.SEED_EVENT);
        assertThat(events.get(0).description()).isEqualTo("seed 7; replay: " + run.replay());
        Map<String, Integer> open = new HashMap<>();
        int bands = 0;
        for (Event e : events) {
            if (e.kind().equals(History.FAULT_START)) {
                open.merge(e.description(), 1, Integer::sum);
                bands++;
            } else if (e.kind().equals(History.FAULT_END)) {
                assertThat(open.merge(e.description(), -1, Integer::sum))
                        .as(e.describe())
                        .isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(open.values()).as("every fault band ends").containsOnly(0);
        assertThat((long) bands)
                .isGreaterThanOrEqualTo(steps.stream()
                        .filter(s -> s.status() == Status.DONE && s.kind() != ChaosKind.RECOVER)
                        .count());
        assertThat(events)
                .filteredOn(e -> e.kind().equals(History.ROLE))
                .extracting(Event::description)
                .contains("LEADER", "FOLLOWER", "OBSERVER");
        assertThat(run.replay())
                .isEqualTo("ChaosSchedule.of(zk).seed(7L).hold(Duration.ofMillis(100), Duration.ofMillis(400))"
                        + ".pause(Duration.ofMillis(20), Duration.ofMillis(100)).maxFaultsInForce(2).start() on 3 voters and"
                        + " 1 observers, or run the test again with -Dzkharness.chaos.seed=7");
        assertThat(run.summary())
                .startsWith("chaos seed 7: " + steps.size() + " steps: "
                        + steps.stream().filter(s -> s.status() == Status.DONE).count() + " done, 0 held, "
                        + steps.stream()
                                .filter(s -> s.status() == Status.SKIPPED)
                                .count() + " skipped, 0 failed;");
    }

    @Test
    void nodeFaultsNeverTakeDownMoreVotersThanAQuorumCanLose() {
        ChaosRun run;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            List<String> violations = new CopyOnWriteArrayList<>();
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(11)
                    .kinds(
                            ChaosKind.KILL,
                            ChaosKind.STOP,
                            ChaosKind.FREEZE,
                            ChaosKind.ISOLATE,
                            ChaosKind.ISOLATE_LEADER)
                    .maxFaultsInForce(3)
                    .hold(Duration.ofMillis(300), Duration.ofMillis(600))
                    .pause(Duration.ZERO, Duration.ofMillis(30))
                    .onStep(s -> {
                        long down = zk.voters().stream()
                                .filter(n -> n.state() != NodeState.RUNNING)
                                .count();
                        if (down > 1) {
                            violations.add(down + " voters down at " + s);
                        }
                    })
                    .start()) {
                run = r;
                zk.await("15 steps", Duration.ofSeconds(60), () -> r.steps().size() >= 15);
            }
            assertThat(violations).isEmpty();
            zk.awaitLeader();
        }
        List<ChaosStep> held = new ArrayList<>(
                run.steps().stream().filter(s -> s.status() == Status.DONE).toList());
        for (ChaosStep a : held) {
            for (ChaosStep b : held) {
                if (a != b) {
                    boolean overlap =
                            a.started().compareTo(b.ended()) < 0 && b.started().compareTo(a.ended()) < 0;
                    assertThat(overlap).as("%s overlaps %s", a, b).isFalse();
                }
            }
        }
        assertThat(run.steps())
                .filteredOn(s -> s.status() == Status.SKIPPED)
                .extracting(ChaosStep::detail)
                .anyMatch(d -> d.endsWith("are down or cut off and at most 1 may be"));
    }

    @Test
    void aFailureAtCloseNamesTheSeedAndTheReplay() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            ChaosRun run = ChaosSchedule.of(zk)
                    .seed(1234)
                    .kinds(ChaosKind.CUT_CLIENTS)
                    .hold(Duration.ofMillis(50), Duration.ofMillis(50))
                    .pause(Duration.ZERO, Duration.ZERO)
                    .onStep(s -> {
                        throw new IllegalStateException("listener bug");
                    })
                    .start();
            zk.await("a step", Duration.ofSeconds(10), () -> !run.steps().isEmpty());
            assertThatThrownBy(run::close)
                    .isInstanceOf(ChaosException.class)
                    .hasMessageStartingWith("the chaos run (seed 1234) had ")
                    .hasMessageContaining("threw java.lang.IllegalStateException: listener bug on #1 +")
                    .hasMessageEndingWith("\nreplay: ChaosSchedule.of(zk).seed(1234L).kinds(ChaosKind.CUT_CLIENTS)"
                            + ".hold(Duration.ofMillis(50), Duration.ofMillis(50)).pause(Duration.ofMillis(0),"
                            + " Duration.ofMillis(0)).start() on 1 voters and 0 observers, or run the test again with"
                            + " -Dzkharness.chaos.seed=1234");
            run.close(); // idempotent
            assertThat(zk.network().faults()).isEmpty();
            assertThat(zk.nodes().get(0).isServing()).isTrue();
        }
    }

    @Test
    void diskAndMembershipStepsRunWhenAskedForAndLeaveEveryNodeServing() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ChaosRun run;
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(5)
                    .kinds(ChaosKind.SLOW_LOG, ChaosKind.FULL_LOG, ChaosKind.MEMBERSHIP)
                    .hold(Duration.ofMillis(200), Duration.ofMillis(600))
                    .pause(Duration.ofMillis(50), Duration.ofMillis(200))
                    .start()) {
                run = r;
                zk.await("every kind tried", Duration.ofSeconds(60), () -> {
                    Set<ChaosKind> tried = new HashSet<>();
                    r.steps().forEach(s -> tried.add(s.kind()));
                    return tried.containsAll(ChaosKind.disk()) && tried.contains(ChaosKind.MEMBERSHIP);
                });
            }
            assertTrue(run.failures().isEmpty(), run.summary());
            assertTrue(
                    run.steps().stream()
                            .anyMatch(s -> s.kind() == ChaosKind.FULL_LOG && s.status() == ChaosStep.Status.DONE),
                    run.summary());
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isServing), zk.describe());
            assertEquals(3, zk.nodes().size(), "the observers a membership step added are gone");
            assertTrue(
                    zk.nodes().stream()
                            .flatMap(n -> n.disk().faults().stream())
                            .toList()
                            .isEmpty(),
                    "disk faults healed: "
                            + zk.nodes().stream()
                                    .flatMap(n -> n.disk().faults().stream())
                                    .toList());
        }
    }

    @Test
    void aNodeThatCrashesAfterItsFullDiskWasHealedIsStillRestartedByTheRun() {
        // a write that failed while the disk was full can make ZooKeeper ask to exit after the step healed it: the
        // node stays the run's to restart. The test's kill stands in for that late exit.
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ChaosRun run;
            int crashed;
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(7)
                    .kinds(ChaosKind.FULL_LOG)
                    .hold(Duration.ofMillis(100), Duration.ofMillis(100))
                    .pause(Duration.ofSeconds(20), Duration.ofSeconds(20))
                    .start()) {
                run = r;
                zk.await(
                        "a full-log step done",
                        Duration.ofSeconds(60),
                        () -> r.steps().stream()
                                .anyMatch(s -> s.kind() == ChaosKind.FULL_LOG && s.status() == Status.DONE));
                ChaosStep done = r.steps().stream()
                        .filter(s -> s.kind() == ChaosKind.FULL_LOG && s.status() == Status.DONE)
                        .findFirst()
                        .orElseThrow();
                assertThat(done.detail()).contains("is RUNNING");
                crashed = Integer.parseInt(done.target().replaceAll("^node (\\d+).*$", "$1"));
                zk.node(crashed).kill();
            }
            assertTrue(run.failures().isEmpty(), run.summary());
            assertEquals(NodeState.RUNNING, zk.node(crashed).state(), zk.describe());
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isServing), zk.describe());
        }
    }

    @Test
    void aNodeTheTestStoppedBeforeTheRunStaysDownAfterItWhileTheRunsOwnAreBack() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(5).start()) {
            ZkNode stopped = zk.followers().get(0).stop();
            ChaosRun run;
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(11)
                    .kinds(ChaosKind.KILL)
                    .maxVotersDown(2)
                    .pause(Duration.ofMillis(50), Duration.ofMillis(100))
                    .start()) {
                run = r;
                zk.await(
                        "two kills done",
                        Duration.ofSeconds(60),
                        () -> r.steps().stream()
                                        .filter(s -> s.kind() == ChaosKind.KILL && s.status() == Status.DONE)
                                        .count()
                                >= 2);
            }
            assertTrue(run.failures().isEmpty(), run.summary());
            assertEquals(NodeState.STOPPED, stopped.state(), zk.describe());
            assertTrue(zk.nodes().stream().filter(n -> n != stopped).allMatch(ZkNode::isServing), zk.describe());
        }
    }

    @Test
    void theDefaultKindsLeaveDiskAndMembershipOut() {
        assertFalse(ChaosKind.defaults().contains(ChaosKind.FULL_LOG));
        assertFalse(ChaosKind.defaults().contains(ChaosKind.MEMBERSHIP));
        assertFalse(ChaosKind.defaults().contains(ChaosKind.MOVE_LEADER));
        assertTrue(ChaosKind.drawable().containsAll(ChaosKind.disk()));
        assertTrue(ChaosKind.drawable().contains(ChaosKind.MOVE_LEADER));
    }

    @Test
    void moveLeaderStepsHandTheLeadershipToTheDrawnVoterOrSayWhyNot() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start()) {
            Set<Integer> leaders = new HashSet<>();
            leaders.add(zk.leader().id());
            ChaosRun run;
            try (ChaosRun r = ChaosSchedule.of(zk)
                    .seed(3)
                    .kinds(ChaosKind.MOVE_LEADER)
                    .pause(Duration.ofMillis(50), Duration.ofMillis(200))
                    .onStep(s -> zk.findLeader().ifPresent(l -> leaders.add(l.id())))
                    .start()) {
                run = r;
                zk.await(
                        "three leadership moves done",
                        Duration.ofSeconds(90),
                        () -> r.steps().stream()
                                        .filter(s -> s.status() == ChaosStep.Status.DONE)
                                        .count()
                                >= 3);
            }
            assertTrue(run.failures().isEmpty(), run.summary());
            List<ChaosStep> done = run.steps().stream()
                    .filter(s -> s.status() == ChaosStep.Status.DONE)
                    .toList();
            for (ChaosStep s : done) {
                assertTrue(s.detail().matches("moved the leadership from node \\d to node \\d"), s.detail());
            }
            assertTrue(leaders.size() >= 2, "leaders seen: " + leaders + "; " + run.summary());
            assertTrue(
                    run.steps().stream()
                            .filter(s -> s.status() == ChaosStep.Status.SKIPPED)
                            .allMatch(s -> s.detail().contains("leads already")
                                    || s.detail().contains("observer")),
                    run.summary());
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isServing), zk.describe());
        }
    }
}
