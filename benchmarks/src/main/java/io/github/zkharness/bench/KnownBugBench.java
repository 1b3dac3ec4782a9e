package io.github.zkharness.bench;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkRuntime;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.ZkVersion;
import io.github.zkharness.chaos.ChaosException;
import io.github.zkharness.chaos.ChaosKind;
import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.History;
import io.github.zkharness.workload.ZkWorkload;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The known-bug benchmark ({@code bin/zk-bench --known-bugs}): for each known ZooKeeper bug, the release that has it
 * and the release that fixed it, the same generic seeded chaos (every kind a schedule can draw, crashes and disk faults
 * included; the schedule knows nothing of the bugs) under the same {@link ZkWorkload}, {@code --seeds K} runs of
 * {@code --seconds T} each on both; the crash, disk and leader-moving kinds weighted {@code --crash-weight W} (default
 * {@value #CRASH_WEIGHT}) to 1 against the others, up to {@code --overlap N} held steps in force at once (default
 * {@value #OVERLAP}) and {@code --max-down D} voters down at once (default: any number), for every bug alike. After
 * the chaos run every server is restarted once ({@link ZkEnsemble#rollingRestart()}), since a server's next restart
 * loads its files, not its memory. A run detects a violation when a checker of the workload says INVALID
 * (linearizability, multi atomicity, sequence numbers, durability, convergence with ZooKeeper's tree digests) or a
 * node refuses to start after a crash or at that rolling restart. Prints, per bug, the detection rate and the oracle on
 * the buggy release, the false positives on the fixed one (which must be 0; {@code fixed=none false_positives=-} for
 * a bug no release fixes yet), and how often a detecting seed gives the same verdict when run again. A finding that shows the
 * signature of another known bug the release still has ({@link Bug#signature}) is listed as {@code other_known} and
 * counted neither as a detection nor as a false positive; on the buggy release of a bug that has a signature, a finding
 * without it is listed as {@code unattributed} (a violation of ZooKeeper's, but not that bug's known form) and is not
 * counted as a detection. {@code median_s} is the
 * median time from the chaos run's start to the first violation: when a failed step was first seen (sampled every
 * 200 ms), the completion of the last operation of a checker's counterexample, or the end of the run for a verdict on
 * the final state (convergence, durability). {@code load} is the system's one-minute load average when the bug's
 * line is printed.
 *
 * <pre>
 * bug=ZOOKEEPER-2332 buggy=3.9.2 detected=1/3 oracles=[won't start] median_s=41 fixed=3.9.3 false_positives=0/3
 *     other_known=[] unattributed=[] rerun_same=1/1 inconclusive=0 load=2.9
 * </pre>
 */
public final class KnownBugBench {

    /**
     * One known bug: the release with it and the release that fixed it, and the ensemble it needs; {@code signature}, a
     * regular expression found in a finding's text, recognises it as this bug's (null: none is known), for attributing
     * what a run found.
     */
    record Bug(
            String id,
            String introduced,
            String buggy,
            @Nullable String fixed,
            int voters,
            String what,
            @Nullable String signature) {
        /**
         * Whether {@code release} (of the 3.9 line, as every release here) has this bug: from the release that
         * brought it ({@code introduced}) to the one before {@code fixed} (null: no release fixes it yet).
         */
        boolean carriedBy(String release) {
            return compareVersions(release, introduced) >= 0 && (fixed == null || compareVersions(release, fixed) < 0);
        }

        /** Whether {@code f}, found on {@code release}, is this bug showing: its signature, on a release with it. */
        boolean explains(Finding f, String release) {
            return signature != null
                    && carriedBy(release)
                    && Pattern.compile(signature).matcher(f.full()).find();
        }
    }

    static final List<Bug> BUGS = List.of(
            new Bug(
                    "ZOOKEEPER-2332",
                    "3.9.0",
                    "3.9.2",
                    "3.9.3",
                    3,
                    "a zero-length newest log after a crash or a full disk at a log roll stops the server from starting",
                    " is empty: its name reached the disk"),
            new Bug(
                    "ZOOKEEPER-4785",
                    "3.9.0",
                    "3.9.1",
                    "3.9.2",
                    3,
                    "a follower bounced right after a DIFF sync had not yet written the transactions the sync gave it:"
                            + " they are lost (a race in Learner.syncWithLeader)",
                    null),
            new Bug(
                    "ZOOKEEPER-4712",
                    "3.9.0",
                    "3.9.2",
                    "3.9.3",
                    3,
                    "a follower with committed but unsynced transactions loses its leader: divergence, or a dead"
                            + " session's ephemeral",
                    "znodes differ between servers|ephemerals outlived their sessions"),
            new Bug(
                    "ZOOKEEPER-4925",
                    "3.9.3", // brought by ZOOKEEPER-4394 in 3.9.3: its fix's test passes on 3.9.2
                    "3.9.3",
                    "3.9.4",
                    5,
                    "after followers restart in a certain order, a stale DIFF sync loses acknowledged writes",
                    null),
            new Bug(
                    "ZOOKEEPER-4882",
                    "3.9.0",
                    "3.9.5",
                    null, // its fix (pull request 2268) is in no release yet
                    3,
                    "a follower's log write fails for a while (a full disk) and it rejoins: the transactions it applied"
                            + " meanwhile never reach its log, and its next restart loses them; from 3.9.4 (the fix of"
                            + " 4925) the restart refuses the log instead",
                    "Committed proposal cached out of order"));

    /** What one run found, and how many seconds after the chaos run's start it was first seen: null if nothing. */
    record Finding(String oracle, String detail, double seconds, String full) {
        /** Whether it is a violation of ZooKeeper's (not the harness failing, nor a chaos step that could not run). */
        boolean violation() {
            return !oracle.equals("harness error") && !oracle.equals("chaos step failed");
        }
    }

    /**
     * How much likelier each crash, disk and leader-moving kind is than any other kind: ZooKeeper's durability bugs
     * live in crashes, power losses, full disks and the syncs that follow a change of leader, and with every kind at
     * weight 1 a 40 s run draws about one of them. Generic: the same for every bug and both releases.
     */
    static final int CRASH_WEIGHT = 4;

    /**
     * The generic chaos every run gets, the same for every bug and both releases: how much likelier the crash, disk and
     * leader-moving kinds are ({@code --crash-weight}), how many held steps may be in force at once ({@code --overlap},
     * {@link ChaosSchedule#maxFaultsInForce}) and how many voters node faults may leave down at once ({@code
     * --max-down}, {@link ChaosSchedule#maxVotersDown}, at most the bug's voters). By default the steps overlap (up to
     * {@value #OVERLAP} held at once) and any number of voters may be down: the quorum may be lost, and a node may
     * rejoin a quorum that lacks others, as when several servers crash and come back one by one.
     */
    record Chaos(int crashWeight, int overlap, int maxDown) {
        int votersDown(int voters) {
            return Math.min(maxDown, voters);
        }
    }

    /** How many lines of a finding's text after its first a run's line is followed by. */
    static final int EVIDENCE_LINES = 12;

    /** How many held steps may be in force at once by default. */
    static final int OVERLAP = 3;

    private KnownBugBench() {}

    public static void main(String[] args) {
        int seeds = 3;
        int seconds = 60;
        String only = null;
        int crashWeight = CRASH_WEIGHT;
        int overlap = OVERLAP;
        int maxDown = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--bug" -> only = args[++i];
                case "--crash-weight" -> crashWeight = Integer.parseInt(args[++i]);
                case "--overlap" -> overlap = Integer.parseInt(args[++i]);
                case "--max-down" -> maxDown = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; allowed: --seeds K, --seconds T, --bug ZOOKEEPER-N, --crash-weight W, --overlap N,"
                            + " --max-down N");
            }
        }
        if (overlap < 1 || overlap > 10) {
            throw new IllegalArgumentException("--overlap must be between 1 and 10 held steps, got " + overlap);
        }
        if (maxDown < 0) {
            throw new IllegalArgumentException("--max-down must be 0 or more voters, got " + maxDown);
        }
        if (crashWeight < 0 || crashWeight > 1000) {
            throw new IllegalArgumentException("--crash-weight must be between 0 and 1000, got " + crashWeight);
        }
        System.out.printf(
                Locale.ROOT,
                "known bugs: %d seeds x %d s per release; snapCount %s; every drawable chaos kind, crashes and disk"
                        + " faults and leader moves (KILL, RESTART, POWER_LOSS, SLOW_LOG_POWER_LOSS, FULL_LOG, MOVE_LEADER)"
                        + " weighted %d to 1; up to %d held steps at once; voters down at once: %s%n",
                seeds,
                seconds,
                System.getProperty("zookeeper.snapCount", "ZooKeeper's default"),
                crashWeight,
                overlap,
                maxDown == Integer.MAX_VALUE ? "any number" : "up to " + maxDown);
        Chaos chaos = new Chaos(crashWeight, overlap, maxDown);
        for (Bug bug : BUGS) {
            if (only != null && !only.equals(bug.id())) {
                continue;
            }
            List<String> oracles = new ArrayList<>();
            List<Long> detectingSeeds = new ArrayList<>();
            List<Double> secondsToDetect = new ArrayList<>();
            List<String> otherKnown = new ArrayList<>();
            List<String> unattributed = new ArrayList<>();
            int inconclusive = 0;
            for (long seed = 1; seed <= seeds; seed++) {
                Finding f = run(bug.buggy(), bug.voters(), seed, seconds, chaos);
                if (f != null && !f.violation()) {
                    inconclusive++;
                    System.out.printf(
                            Locale.ROOT,
                            "  %s %s seed %d: inconclusive, %s: %s%n",
                            bug.id(),
                            bug.buggy(),
                            seed,
                            f.oracle(),
                            f.detail());
                    printEvidence(f);
                } else if (f != null) {
                    String other = otherKnownBug(bug, f, bug.buggy());
                    boolean notItsSignature = bug.signature() != null && !bug.explains(f, bug.buggy());
                    if (other != null) {
                        otherKnown.add(other + " on " + bug.buggy());
                    } else if (notItsSignature) {
                        unattributed.add(f.oracle() + " on " + bug.buggy());
                    } else {
                        oracles.add(f.oracle());
                        detectingSeeds.add(seed);
                        secondsToDetect.add(f.seconds());
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "  %s %s seed %d: %s after %.0f s%s: %s%n",
                            bug.id(),
                            bug.buggy(),
                            seed,
                            f.oracle(),
                            f.seconds(),
                            other != null
                                    ? " (" + other + "'s signature)"
                                    : notItsSignature ? " (not " + bug.id() + "'s signature)" : "",
                            f.detail());
                    printEvidence(f);
                }
            }
            int falsePositives = 0;
            String fixed = bug.fixed();
            for (long seed = 1; fixed != null && seed <= seeds; seed++) {
                Finding f = run(fixed, bug.voters(), seed, seconds, chaos);
                if (f != null && !f.violation()) {
                    inconclusive++;
                    System.out.printf(
                            Locale.ROOT,
                            "  %s %s (fixed) seed %d: inconclusive, %s: %s%n",
                            bug.id(),
                            fixed,
                            seed,
                            f.oracle(),
                            f.detail());
                    printEvidence(f);
                } else if (f != null) {
                    String other = otherKnownBug(bug, f, fixed);
                    if (other != null) {
                        otherKnown.add(other + " on " + fixed);
                    } else {
                        falsePositives++;
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "  %s %s (fixed) seed %d: %s%s: %s%n",
                            bug.id(),
                            fixed,
                            seed,
                            f.oracle(),
                            other == null ? "" : " (" + other + "'s signature)",
                            f.detail());
                    printEvidence(f);
                }
            }
            int same = 0;
            for (int i = 0; i < detectingSeeds.size(); i++) {
                Finding again = run(bug.buggy(), bug.voters(), detectingSeeds.get(i), seconds, chaos);
                if (again != null && again.oracle().equals(oracles.get(i))) {
                    same++;
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "bug=%s buggy=%s detected=%d/%d oracles=%s median_s=%s fixed=%s false_positives=%s"
                            + " other_known=%s unattributed=%s rerun_same=%d/%d inconclusive=%d load=%.1f%n",
                    bug.id(),
                    bug.buggy(),
                    detectingSeeds.size(),
                    seeds,
                    oracles,
                    secondsToDetect.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(secondsToDetect)),
                    fixed == null ? "none" : fixed,
                    fixed == null ? "-" : falsePositives + "/" + seeds,
                    otherKnown,
                    unattributed,
                    same,
                    detectingSeeds.size(),
                    inconclusive,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** One run: an ensemble on {@code release}, the workload and a generic chaos schedule for {@code seconds}. */
    static Finding run(String release, int voters, long seed, int seconds, Chaos chaos) {
        History history = new History();
        long t0 = history.nowNanos();
        long firstFailure = -1;
        String chaosSummary = "";
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(voters)
                .runtime(ZkRuntime.ISOLATED)
                .version(ZkVersion.of(release))
                .start()) {
            ZkWorkload workload =
                    ZkWorkload.of(zk, history).clients(3).seed(seed).start();
            try {
                ChaosRun run = ChaosSchedule.of(zk)
                        .seed(seed)
                        .kinds(ChaosKind.drawable())
                        .weight(ChaosKind.KILL, chaos.crashWeight())
                        .weight(ChaosKind.RESTART, chaos.crashWeight())
                        .weight(ChaosKind.POWER_LOSS, chaos.crashWeight())
                        .weight(ChaosKind.SLOW_LOG_POWER_LOSS, chaos.crashWeight())
                        .weight(ChaosKind.FULL_LOG, chaos.crashWeight())
                        .weight(ChaosKind.MOVE_LEADER, chaos.crashWeight())
                        .maxFaultsInForce(chaos.overlap())
                        .maxVotersDown(chaos.votersDown(voters))
                        .history(history)
                        .start();
                t0 = history.nowNanos();
                try {
                    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                        sleep(Duration.ofMillis(Math.min(200, (end - System.nanoTime()) / 1_000_000 + 1)));
                        if (firstFailure < 0 && !run.failures().isEmpty()) {
                            firstFailure = history.nowNanos();
                        }
                    }
                } finally {
                    try {
                        run.close();
                        chaosSummary = "\n" + run.summary();
                    } catch (ChaosException e) {
                        String message = String.valueOf(e.getMessage());
                        double at = ((firstFailure < 0 ? history.nowNanos() : firstFailure) - t0) / 1e9;
                        if (message.contains("refused to start")) {
                            return new Finding("won't start", first(message), at, message + "\n" + run.summary());
                        }
                        return new Finding("chaos step failed", first(message), at, message + "\n" + run.summary());
                    }
                }
            } finally {
                workload.close();
            }
            try {
                // a server's next restart loads its files, not its memory: what it would lose shows in the checks
                zk.rollingRestart();
            } catch (ZkStartException e) {
                String message = String.valueOf(e.getMessage());
                return new Finding(
                        "won't start", first(message), (end(history, seconds, t0) - t0) / 1e9, message + chaosSummary);
            }
            CheckResult result = workload.check();
            if (result.verdict() == Verdict.INVALID) {
                CheckResult part = result.parts().stream()
                        .filter(p -> p.verdict() == Verdict.INVALID)
                        .findFirst()
                        .orElse(result);
                // a counterexample is evident once its last operation completed; a final-state verdict at the end
                long seen = part.counterexample().stream()
                        .mapToLong(o -> Math.max(o.invokeNanos(), o.completeNanos()))
                        .max()
                        .orElse(end(history, seconds, t0));
                return new Finding(
                        part.checker(),
                        first(part.explanation()),
                        (seen - t0) / 1e9,
                        part.explanation() + chaosSummary);
            }
            return null;
        } catch (RuntimeException e) {
            return new Finding(
                    "harness error", first(String.valueOf(e)), (history.nowNanos() - t0) / 1e9, String.valueOf(e));
        }
    }

    /**
     * The other known bug whose signature {@code f}, found on {@code release}, shows, on a release that has it; null if
     * none (then it counts for {@code bug}: a detection on its buggy release, a false positive on its fixed one).
     */
    static @Nullable String otherKnownBug(Bug bug, Finding f, String release) {
        for (Bug other : BUGS) {
            if (!other.id().equals(bug.id()) && other.explains(f, release)) {
                return other.id();
            }
        }
        return null;
    }

    /** Compares release numbers such as 3.9.2 and 3.9.10 part by part. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(
                    i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The end of the chaos run on {@code history}'s clock. */
    private static long end(History history, int seconds, long t0) {
        return Math.min(history.nowNanos(), t0 + Duration.ofSeconds(seconds).toNanos());
    }

    /**
     * The lines after the first of a finding's text (up to {@value #EVIDENCE_LINES}, and its last: the chaos run's
     * summary), indented: what to attribute it by.
     */
    private static void printEvidence(Finding f) {
        List<String> lines = f.full().lines().skip(1).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (i < EVIDENCE_LINES || i == lines.size() - 1) {
                System.out.println("      " + lines.get(i).strip());
            }
        }
    }

    private static String first(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the run's length: chaos and workload run meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
