package io.github.zkharness.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * zk-harness side by side with Curator's {@code TestingCluster}: prints one line per scenario,
 * {@code scenario=<name> harness_ms=<median> curator_ms=<median> ratio=<harness/curator> harness_min=.. harness_max=..
 * curator_min=.. curator_max=.. runs=N}, then a profile of each scenario's phases, and writes the same text and a
 * chart ({@code bench-results.txt}, {@code bench.png}) to the output directory.
 *
 * <p>zk-harness runs in this JVM; Curator in a child JVM ({@link ChildJvm}) with the same java, heap and class path,
 * so that zk-harness's JVM-wide ZooKeeper settings do not reach it. {@code cold_ready3} runs each side in a fresh child
 * JVM per run. The two sides alternate run by run (A B, B A, ...)
 * after one warm-up run each, so that drift of a shared machine hits both.
 *
 * <p>Options: {@code --rounds N} measured runs per scenario (default 10; suite50 gets a third of them, at least 2; the
 * thread counts 3), {@code --out DIR} (default {@code docs}),
 * {@code --only a,b} to run some scenarios (for trying things).
 */
@SuppressWarnings("try") // the child JVMs are closed early inside their try-with-resources, to count what they left
public final class ZkBench {

    static final String CURATOR_VERSION = "5.9.0";
    /** A Curator command with this prefix runs in a fresh JVM of its own. */
    private static final String COLD = "cold:";

    private static final int JVM_WARM_UP = 3;

    private static final int SUITE_TESTS = 50;

    private final int rounds;
    private final Set<String> only;
    private final ChildJvm curator;
    /** Curator with zk-harness's settings (tick, session bounds, forceSync=no): started on first use. */
    private final ChildJvm curatorSame;

    /** zk-harness's log; the cold starts' JVMs write theirs beside it. */
    private final Path log;

    private final List<Result> results = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private ZkBench(int rounds, Set<String> only, ChildJvm curator, ChildJvm curatorSame, Path log) {
        this.log = log;
        this.rounds = rounds;
        this.only = only;
        this.curator = curator;
        this.curatorSame = curatorSame;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 10;
        Path out = Path.of("docs");
        Set<String> only = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only.addAll(Arrays.asList(args[++i].split(",")));
            } else {
                System.err.println("usage: zk-bench [--rounds N] [--out DIR] [--only scenario,...]");
                System.exit(2);
            }
        }
        if (rounds < 1) {
            System.err.println("--rounds must be at least 1, got " + rounds);
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path log =
                Path.of(System.getProperty("zk.bench.log", "target/bench.log")).toAbsolutePath();
        double loadBefore = load();
        LocalDateTime started = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        ZkBench bench;
        ChildJvm.LeftFiles left;
        try (ChildJvm curator = ChildJvm.curator(log.resolveSibling("bench-curator.log"), List.of());
                ChildJvm curatorSame = ChildJvm.curator(
                        log.resolveSibling("bench-curator-same.log"),
                        List.of("-Dzookeeper.forceSync=no", "-Dzk.bench.sameSettings=true"))) {
            bench = new ZkBench(rounds, only, curator, curatorSame, log);
            bench.runAll();
            curator.close();
            curatorSame.close();
            left = curator.deleteLeftFiles();
            curatorSame.deleteLeftFiles();
            bench.report(out, started, loadBefore, load(), left);
        }
        System.exit(bench.results.stream().anyMatch(r -> r.error != null) ? 1 : 0);
    }

    private void runAll() throws Exception {
        // Cold: each run the first in a JVM of its own, on both sides (class loading, JIT); the JVM's own start and
        // logging's set-up are not counted.
        measure(
                "cold_ready3",
                Result.Unit.MS,
                "ready3, each run the first in a fresh JVM",
                2 * rounds, // the Curator side's spread is widest here: twice the runs
                false,
                () -> cold(ChildJvm.harness(log.resolveSibling("bench-cold-harness.log"))),
                COLD + "ready 3");
        warmJvms();
        measure(
                "ready3",
                Result.Unit.MS,
                "3 nodes: nothing to first write",
                rounds,
                true,
                () -> HarnessScenarios.ready(3, true),
                "ready 3");
        measure(
                "ready3_nolinks",
                Result.Unit.MS,
                "ready3 with links(false)",
                rounds,
                true,
                () -> HarnessScenarios.ready(3, false),
                null);
        measure(
                "ready5",
                Result.Unit.MS,
                "5 nodes: nothing to first write",
                rounds,
                true,
                () -> HarnessScenarios.ready(5, true),
                "ready 5");
        measure(
                "failover_kill_leader",
                Result.Unit.MS,
                "leader killed until a client's write succeeds",
                rounds,
                true,
                HarnessScenarios::failoverKillLeader,
                "failover_kill_leader");
        measure(
                "failover_new_leader",
                Result.Unit.MS,
                "leader killed until a new leader serves a fresh client's write",
                rounds,
                true,
                HarnessScenarios::failoverNewLeader,
                "failover_new_leader");
        measure(
                "ready3_same_settings",
                Result.Unit.MS,
                "ready3, Curator with zk-harness's tick, sessions, forceSync=no",
                rounds,
                true,
                () -> HarnessScenarios.ready(3, true),
                "same:ready 3");
        measure(
                "failover_new_leader_same_settings",
                Result.Unit.MS,
                "failover_new_leader, Curator with the same settings",
                rounds,
                true,
                HarnessScenarios::failoverNewLeader,
                "same:failover_new_leader");
        measure(
                "restart_node",
                Result.Unit.MS,
                "killed follower restarted until it serves",
                rounds,
                true,
                HarnessScenarios::restartNode,
                "restart_node");
        measure(
                "close3",
                Result.Unit.MS,
                "close a running 3-node ensemble",
                rounds,
                true,
                HarnessScenarios::close3,
                "close3");
        measure(
                "suite50",
                Result.Unit.MS,
                "50 tests, each on a clean 3-node ensemble",
                Math.max(2, rounds / 3),
                false,
                () -> HarnessScenarios.suite(SUITE_TESTS),
                "suite " + SUITE_TESTS);
        measure(
                "suite50_junit",
                Result.Unit.MS,
                "50 tests through the JUnit engine, injected clients vs TestingCluster per test",
                Math.max(2, rounds / 3),
                false,
                () -> HarnessScenarios.suiteJUnit(SUITE_TESTS),
                "suite_junit " + SUITE_TESTS);
        measure(
                "threads3",
                Result.Unit.THREADS,
                "threads added while 3 nodes run",
                3,
                true,
                () -> HarnessScenarios.threads(3),
                "threads 3");
        measure(
                "threads5",
                Result.Unit.THREADS,
                "threads added while 5 nodes run",
                3,
                true,
                () -> HarnessScenarios.threads(5),
                "threads 5");
        measure(
                "heap3",
                Result.Unit.MB,
                "heap kept by 3 running nodes and a client",
                3,
                false,
                () -> HarnessScenarios.heap(3),
                "heap 3");
        measure(
                "heap5",
                Result.Unit.MB,
                "heap kept by 5 running nodes and a client",
                3,
                false,
                () -> HarnessScenarios.heap(5),
                "heap 5");
        measure(
                "isolate_leader",
                Result.Unit.MS,
                "leader isolated until the majority writes",
                rounds,
                true,
                () -> HarnessScenarios.leaderFaultUntilMajorityWrite(true),
                null);
        measure(
                "freeze_leader",
                Result.Unit.MS,
                "leader frozen until the majority writes",
                rounds,
                true,
                () -> HarnessScenarios.leaderFaultUntilMajorityWrite(false),
                null);
        measure(
                "isolate_leader_existing_client",
                Result.Unit.MS,
                "the same, through a client on a follower",
                rounds,
                true,
                () -> HarnessScenarios.leaderFaultUntilWrite(true),
                null);
        measure(
                "heal_catchup",
                Result.Unit.MS,
                "follower healed until it has 200 new writes",
                rounds,
                true,
                HarnessScenarios::healCatchUp,
                null);
        measure(
                "reset_100",
                Result.Unit.MS,
                "reset() of a 3-node ensemble holding 100 znodes",
                rounds,
                true,
                () -> HarnessScenarios.reset(100),
                null);
        measure(
                "reset_10k",
                Result.Unit.MS,
                "reset() of a 3-node ensemble holding 10,000 znodes",
                rounds,
                true,
                () -> HarnessScenarios.reset(10_000),
                null);
        measure(
                "link_overhead",
                Result.Unit.RATIO,
                "write throughput through links / direct",
                rounds,
                true,
                HarnessScenarios::linkOverhead,
                null);
        measure(
                "suite_classes20",
                Result.Unit.RATIO,
                "20 classes x 5 tests: one shared ensemble / one per class",
                Math.max(2, rounds / 3),
                false,
                HarnessScenarios::suiteClasses,
                null);
    }

    /**
     * Before the first warm scenario, {@link #JVM_WARM_UP} unmeasured 3-node starts in this JVM and in Curator's: the
     * first ensembles of a JVM run slower while the JIT compiles, and the cold runs happen in JVMs of their own.
     */
    private void warmJvms() {
        progress("warming both JVMs: " + JVM_WARM_UP + " starts each, not measured");
        for (int i = 0; i < JVM_WARM_UP; i++) {
            try {
                HarnessScenarios.ready(3, true);
                curator.run("ready 3", 180);
            } catch (Exception e) {
                System.err.println("zk-bench: a warm-up start failed: " + e);
            }
        }
    }

    interface HarnessRun {
        Run run() throws Exception;
    }

    /**
     * One scenario: a warm-up run on each side (unless {@code warmUp} is false), then {@code n} measured runs on each
     * side, alternating which goes first. {@code curatorCommand} null: harness only. The suite's warm-up is a 5-test
     * suite.
     */
    private void measure(
            String scenario,
            Result.Unit unit,
            String description,
            int n,
            boolean warmUp,
            HarnessRun harness,
            String curatorCommand) {
        if (!only.isEmpty() && !only.contains(scenario)) {
            return;
        }
        Result result = new Result(scenario, unit, description, curatorCommand != null);
        results.add(result);
        progress(scenario + ": " + n + " runs" + (curatorCommand == null ? " (harness only)" : " each side"));
        boolean suite = scenario.startsWith("suite");
        if (suite || warmUp) {
            boolean junit = scenario.endsWith("_junit");
            HarnessRun warmHarness =
                    !suite ? harness : junit ? () -> HarnessScenarios.suiteJUnit(5) : () -> HarnessScenarios.suite(5);
            String warmCurator = !suite ? curatorCommand : junit ? "suite_junit 5" : "suite 5";
            runOnce(result, "warm-up", warmHarness, null);
            if (curatorCommand != null) {
                runOnce(result, "warm-up", null, warmCurator);
            }
        }
        for (int i = 0; i < n; i++) {
            boolean harnessFirst = i % 2 == 0;
            if (harnessFirst) {
                runOnce(result, null, harness, null);
            }
            if (curatorCommand != null) {
                runOnce(result, null, null, curatorCommand);
            }
            if (!harnessFirst) {
                runOnce(result, null, harness, null);
            }
        }
        if (result.harness.isEmpty() || (curatorCommand != null && result.curator.isEmpty())) {
            result.error = "every run failed on a side: " + result.failures();
        }
        System.out.println(result.line());
    }

    /**
     * One run of one side ({@code harness} or {@code curatorCommand}), kept in {@code result}; a run that fails is
     * counted as failed, with its error, and the scenario goes on. {@code warmUp} non-null: not kept.
     */
    private void runOnce(Result result, String warmUp, HarnessRun harness, String curatorCommand) {
        long timeout = result.scenario.startsWith("suite") ? 900 : 180;
        try {
            Run run;
            if (harness != null) {
                System.gc();
                run = harness.run();
            } else if (curatorCommand.startsWith(COLD)) {
                run = cold(ChildJvm.curator(log.resolveSibling("bench-cold-curator.log"), List.of()));
            } else if (curatorCommand.startsWith("same:")) {
                run = curatorSame.run(curatorCommand.substring("same:".length()), timeout);
            } else {
                run = curator.run(curatorCommand, timeout);
            }
            if (warmUp == null) {
                (harness != null ? result.harness : result.curator).add(run);
            }
        } catch (Exception e) {
            String side = harness != null ? "harness" : "curator";
            System.err.println("zk-bench: " + result.scenario + " " + side + (warmUp != null ? " warm-up" : "")
                    + " run failed: " + e);
            e.printStackTrace();
            (harness != null ? result.harnessFailures : result.curatorFailures)
                    .add((warmUp != null ? "warm-up: " : "") + rootMessage(e));
        }
    }

    /** {@code ready 3} as the first thing {@code jvm} does, then the JVM ended and what it left deleted. */
    private static Run cold(ChildJvm jvm) throws IOException, InterruptedException {
        try (jvm) {
            return jvm.run("ready 3", 180);
        } finally {
            jvm.deleteLeftFiles();
        }
    }

    private static String rootMessage(Throwable e) {
        String message = String.valueOf(e);
        for (Throwable t = e; t != null; t = t.getCause()) {
            message = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        return message.replace('\n', ' ');
    }

    private void progress(String what) {
        System.err.printf(Locale.ROOT, "[zk-bench %3ds] %s%n", (System.nanoTime() - startNanos) / 1_000_000_000L, what);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private void report(Path out, LocalDateTime started, double loadBefore, double loadAfter, ChildJvm.LeftFiles left)
            throws IOException {
        List<String> deaths = new ArrayList<>(curator.deaths());
        deaths.addAll(curatorSame.deaths());
        new BenchReport(
                        results,
                        rounds,
                        curator.describeCommandLine(),
                        deaths,
                        left,
                        started,
                        loadBefore,
                        loadAfter,
                        (System.nanoTime() - startNanos) / 1_000_000_000L)
                .write(out);
    }
}
