package io.github.zkharness.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkExitRequestedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.reliability.SoakSchedule.Kind;
import io.github.zkharness.reliability.SoakSchedule.Step;
import io.github.zkharness.reliability.SoakSchedule.Who;
import io.github.zkharness.testkit.Bounded;
import io.github.zkharness.testkit.Clients;
import io.github.zkharness.testkit.TreeReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A seeded fault soak: a 5-voter, 1-observer ensemble under a client workload that records every acknowledged
 * write, while a reproducible schedule ({@link SoakSchedule}) kills, stops, restarts and wipes nodes,
 * partitions, isolates, cuts, freezes, stalls and slows links, cuts clients off and expires sessions. Then
 * everything is healed and checked: every node holds the same data, every acknowledged write is there, no
 * harness call hung, nothing asked the JVM to exit.
 *
 * <p>The normal build runs 75 s of faults. A long run, and a rerun of a given schedule:
 * <pre>
 * ./mvnw -B -pl harness-core -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=FaultSoakTests -Dzk.soak.minutes=30
 * ./mvnw -B -pl harness-core -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=FaultSoakTests -Dzk.soak.seed=SEED -Dzk.soak.minutes=MINUTES
 * </pre>
 * The seed is printed at the start and in every failure; each step and its outcome is logged to
 * {@code harness-core/target/reliability/soak-SEED.log}.
 */
class FaultSoakTests {

    private static final int SESSION_TIMEOUT_MS = 4000;

    @Test
    void theSameSeedGivesTheSameSchedule() {
        SoakSchedule a = SoakSchedule.generate(20240611L, Duration.ofMinutes(30));
        SoakSchedule b = SoakSchedule.generate(20240611L, Duration.ofMinutes(30));
        assertEquals(a.steps(), b.steps());
        assertEquals(a.steps().stream().map(Step::toString).toList(), b.steps().stream().map(Step::toString).toList());
        assertNotEquals(a.steps(), SoakSchedule.generate(20240612L, Duration.ofMinutes(30)).steps());
        // a shorter run of the same seed is the start of the longer one
        List<Step> shorter = SoakSchedule.generate(20240611L, Duration.ofMinutes(2)).steps();
        assertEquals(shorter, a.steps().subList(0, shorter.size()));
        for (Kind kind : Kind.values()) {
            assertTrue(a.counts().getOrDefault(kind, 0L) > 0, "30 minutes of schedule use every kind of step; no " + kind);
        }
    }

    @Test
    void everyScheduleKeepsTheSafetyRules() {
        for (long seed = 1; seed <= 300; seed++) {
            SoakSchedule schedule = SoakSchedule.generate(seed, Duration.ofMinutes(5));
            List<Who> down = new ArrayList<>();
            int faults = 0;
            for (Step step : schedule.steps()) {
                String where = "seed " + seed + ", " + step;
                switch (step.kind()) {
                    case KILL, STOP -> {
                        down.add(step.who() == Who.OBSERVER ? Who.OBSERVER : Who.VOTER);
                        assertTrue(down.stream().filter(w -> w == Who.VOTER).count() <= 2, "more than 2 of 5 voters down: " + where);
                        assertTrue(down.stream().filter(w -> w == Who.OBSERVER).count() <= 1, "the observer down twice: " + where);
                    }
                    case RESTART -> {
                        assertTrue(!down.isEmpty(), "restart with nothing down: " + where);
                        down.remove(step.pick() % down.size());
                    }
                    case WIPE -> {
                        if (step.who() == Who.VOTER) {
                            assertTrue(down.isEmpty() && faults == 0, "voter wiped while not all run on a healthy network: " + where);
                        } else {
                            down.remove(Who.OBSERVER);
                        }
                    }
                    case HEAL_ONE -> {
                        assertTrue(faults > 0, where);
                        faults--;
                    }
                    case HEAL_ALL -> faults = 0;
                    case RECOVER -> {
                        faults = 0;
                        down.clear();
                    }
                    default -> {
                        if (SoakSchedule.NETWORK_FAULTS.contains(step.kind())) {
                            faults++;
                            assertTrue(faults <= SoakSchedule.MAX_FAULTS, "more than 3 faults: " + where);
                        }
                    }
                }
            }
            long recovers = schedule.steps().stream().filter(s -> s.kind() == Kind.RECOVER).count();
            assertTrue(recovers >= schedule.steps().size() / 25, "seed " + seed + ": too few recoveries");
            long planned = schedule.steps().stream().mapToLong(Step::holdMillis).sum();
            assertTrue(planned >= Duration.ofMinutes(5).toMillis(), "seed " + seed + " plans " + planned + " ms");
        }
    }

    @Test
    void seededFaultSoak() throws Exception {
        long seed = LongRun.soakSeed();
        Duration length = LongRun.soakLength();
        SoakSchedule schedule = SoakSchedule.generate(seed, length);
        String minutes = String.format(Locale.ROOT, "%s", length.toMillis() / 60_000.0);
        String rerun = "./mvnw -B -pl harness-core -am test -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Dtest=FaultSoakTests -Dzk.soak.seed=" + seed
            + " -Dzk.soak.minutes=" + minutes;
        String tag = "[soak seed " + seed + "] ";
        System.out.println(tag + "planned " + length.toSeconds() + " s of faults in " + schedule.steps().size()
            + " steps " + schedule.counts() + "; rerun: " + rerun);
        assertEquals(List.of(), JvmGlobals.unattributedExitRequests(), "exit requests before the soak began");

        Path logFile = Path.of("target", "reliability", "soak-" + seed + ".log");
        Files.createDirectories(logFile.getParent());
        List<String> failures = new ArrayList<>();
        String figures;
        long began = System.nanoTime();
        try (Bounded bounded = new Bounded();
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8))) {
            log.println("seed " + seed + ", " + length.toSeconds() + " s planned; rerun: " + rerun);
            ZkEnsemble zk = bounded.call("ZkEnsemble.builder().voters(5).observers(1)...start()", Duration.ofSeconds(120),
                () -> ZkEnsemble.builder().voters(5).observers(1)
                    .sessionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10))
                    .startTimeout(Duration.ofSeconds(60))
                    .start());
            SoakWorkload workload = new SoakWorkload(bounded.call("zk.connectString()", Duration.ofSeconds(5),
                zk::connectString), SoakSchedule.WRITERS, SESSION_TIMEOUT_MS);
            SoakRun run = new SoakRun(zk, bounded, workload, log);
            Map<String, String> reference = Map.of();
            try {
                workload.start();
                for (Step step : schedule.steps()) {
                    run.run(step);
                }
                log.println("final recovery: " + run.recover(Duration.ofSeconds(120)));
                // the healed ensemble takes writes again
                long acked = workload.acknowledged();
                await("acknowledged writes after the final heal").atMost(Duration.ofSeconds(60))
                    .until(() -> workload.acknowledged() > acked + 30);
                workload.stop();
                reference = converged(zk, bounded, failures);
                failures.addAll(workload.verify(reference));
                if (!workload.healthy()) {
                    failures.add("a workload writer died: " + workload.crash());
                }
            } finally {
                workload.close();
                try {
                    bounded.run("zk.close()", Duration.ofSeconds(120), zk::close);
                } catch (ZkExitRequestedException e) {
                    failures.add("close() reported that ZooKeeper asked the JVM to exit: " + e.getMessage());
                }
            }
            failures.addAll(run.problems());
            failures.addAll(bounded.hungCalls().stream().map(c -> "hung: " + c).toList());
            String byKind = run.outcomes().entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue()[0] + "/" + e.getValue()[1]
                    + "/" + e.getValue()[2])
                .collect(Collectors.joining(", "));
            int done = run.outcomes().values().stream().mapToInt(o -> o[0]).sum();
            int skipped = run.outcomes().values().stream().mapToInt(o -> o[1]).sum();
            figures = String.format(Locale.ROOT, "ran %.1f s; %d steps: %d done, %d skipped, %d problems"
                    + " (done/skipped/problem by kind: %s); %d recoveries checked;%n"
                    + "  workload: %d writes attempted, %d acknowledged, %d waits timed out, %d new sessions, failures %s;%n"
                    + "  checked: %d acknowledged creates and %d counters on %d nodes holding identical trees of %d znodes;"
                    + " %d harness calls, %d hung",
                (System.nanoTime() - began) / 1e9, schedule.steps().size(), done, skipped,
                schedule.steps().size() - done - skipped, byKind, run.recoveries(),
                workload.attempted(), workload.acknowledged(), workload.timedOut(), workload.newSessions(),
                workload.failures(), workload.acknowledgedCreates(), SoakSchedule.WRITERS, SoakSchedule.NODES,
                reference.size(), bounded.callCount(), bounded.hungCalls().size());
            log.println(figures);
        }
        System.out.println(tag + figures);
        if (!JvmGlobals.unattributedExitRequests().isEmpty()) {
            failures.add("ZooKeeper asked the JVM to exit: " + JvmGlobals.unattributedExitRequests());
        }
        if (!failures.isEmpty()) {
            fail(tag + failures.size() + " failures (steps in " + logFile.toAbsolutePath() + "; rerun: " + rerun + "):\n  "
                + failures.stream().limit(40).collect(Collectors.joining("\n  ")));
        }
    }

    /**
     * Writes a marker through the leader, waits until every node has applied the leader's last transaction,
     * reads every node's tree on its own and compares them. Returns the leader's tree.
     */
    private static Map<String, String> converged(ZkEnsemble zk, Bounded bounded, List<String> failures)
        throws Exception {
        ZkNode leader = bounded.call("zk.awaitLeader(30 s)", Duration.ofSeconds(45), () -> zk.awaitLeader(Duration.ofSeconds(30)));
        try (ZooKeeper client = Clients.connect(leader.connectString(), SESSION_TIMEOUT_MS)) {
            client.create("/soak-end", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        await("every node at the leader's last zxid").atMost(Duration.ofSeconds(60)).until(() -> {
            long zxid = zk.leader().lastZxid();
            return zk.nodes().stream().allMatch(n -> n.lastZxid() == zxid);
        });
        Map<String, String> reference = null;
        int referenceId = 0;
        for (ZkNode node : zk.nodes()) {
            Map<String, String> tree;
            try (ZooKeeper client = Clients.connect(node.connectString(), SESSION_TIMEOUT_MS)) {
                tree = TreeReader.read(client);
            }
            if (reference == null) {
                reference = tree;
                referenceId = node.id();
            } else if (!reference.equals(tree)) {
                failures.add("node " + node.id() + " differs from node " + referenceId + ": "
                    + TreeReader.differences(reference, tree, 10));
            }
        }
        if (reference == null || !reference.containsKey("/soak-end")) {
            failures.add("the marker written after the heal is missing");
        }
        return reference == null ? Map.of() : reference;
    }

}
