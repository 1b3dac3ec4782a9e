package io.github.zkharness.reliability;

import io.github.zkharness.ThreadFailure;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Repeated leader kills and restarts on one ensemble: after each, a new leader must be elected, the killed node
 * must serve again, no thread of any node may have died, and no unnamed {@code Thread-N} (ZooKeeper's
 * multi-address reachability checks) may ever run in the ensemble's thread groups (sampled every millisecond).
 * Prints one line of figures.
 *
 * <p>{@link LeaderKillTests} runs a few rounds in the normal build. The long run is this main, with the test
 * class path (ZooKeeper's version as the Maven command line chose it):
 * <pre>
 * ./mvnw -o -q -pl harness-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test [-Dzookeeper.version=3.8.6]
 * java -cp harness-core/target/test-classes:harness-core/target/classes:$(cat /tmp/cp.txt) \
 *     io.github.zkharness.reliability.LeaderKillStress [kills=300] [voters=3]
 * </pre>
 */
public final class LeaderKillStress {

    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
    private static final int WRITE_EVERY = 10;

    /** The figures of one run. */
    record Result(
            int kills,
            long millis,
            List<Long> roundMillis,
            int threadsAtEnd,
            int unnamedCreated,
            String loadBefore,
            String loadAfter) {
        String line() {
            List<Long> sorted = roundMillis.stream().sorted().toList();
            return String.format(
                    Locale.ROOT,
                    "zookeeper=%s kills=%d seconds=%.1f round_ms_p50=%d round_ms_p99=%d"
                            + " round_ms_max=%d ensemble_threads_at_end=%d thread_deaths=0 reachability_threads_seen=0"
                            + " unnamed_threads_created_in_jvm=%d"
                            + " loadavg_before=%s loadavg_after=%s cores=%d",
                    Version.getFullVersion().split("-")[0],
                    kills,
                    millis / 1000.0,
                    percentile(sorted, 50),
                    percentile(sorted, 99),
                    sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
                    threadsAtEnd,
                    unnamedCreated,
                    loadBefore,
                    loadAfter,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private LeaderKillStress() {}

    /** Entry point; optional arguments: kills (300), voters (3). Exits 1 on the first stuck node or dead thread. */
    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int voters = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try {
            System.out.println(run(kills, voters, System.out).line());
        } catch (AssertionError | RuntimeException e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Kills the leader {@code kills} times, restarting it each time.
     *
     * @throws AssertionError naming the round, the nodes' state and every thread death, if anything went wrong
     */
    static Result run(int kills, int voters, PrintStream progress) throws Exception {
        String loadBefore = loadAverage();
        int unnamedBefore = nextUnnamedThreadNumber();
        List<Long> rounds = new ArrayList<>();
        long start = System.nanoTime();
        int threadsAtEnd;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).start();
                UnnamedThreadWatch unnamed = new UnnamedThreadWatch(ensembleGroup(zk))) {
            for (int round = 1; round <= kills; round++) {
                long roundStart = System.nanoTime();
                ZkNode old = zk.awaitLeader(ROUND_TIMEOUT);
                old.kill();
                ZkNode next = zk.awaitLeader(ROUND_TIMEOUT);
                if (next.id() == old.id()) {
                    throw new AssertionError("round " + round + ": the killed leader " + old.id() + " still leads");
                }
                old.restart();
                zk.awaitServing(ROUND_TIMEOUT);
                if (round % WRITE_EVERY == 0) {
                    write(zk, round);
                }
                check(zk, round);
                rounds.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart));
                if (round % 50 == 0) {
                    progress.printf(
                            Locale.ROOT,
                            "%d kills, %.1f s, load %s%n",
                            round,
                            (System.nanoTime() - start) / 1e9,
                            loadAverage());
                }
            }
            if (!unnamed.seen().isEmpty()) {
                throw new AssertionError("unnamed threads (multi-address reachability checks) ran in " + zk.name()
                        + " during the run: " + unnamed.seen().size() + ", e.g. "
                        + unnamed.seen().stream().limit(5).toList());
            }
            List<Thread> threads = ensembleThreads(zk);
            threadsAtEnd = threads.size();
            progress.println("ensemble threads at the end, by name: "
                    + threads.stream()
                            .collect(Collectors.groupingBy(
                                    t -> t.getName().replaceAll("\\d+", "N"), TreeMap::new, Collectors.counting())));
        }
        return new Result(
                kills,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                rounds,
                threadsAtEnd,
                nextUnnamedThreadNumber() - unnamedBefore - 1,
                loadBefore,
                loadAverage());
    }

    /** No thread of any node died, and no unnamed thread runs in the ensemble. */
    static void check(ZkEnsemble zk, int round) {
        List<ThreadFailure> deaths =
                zk.nodes().stream().flatMap(n -> n.threadDeaths().stream()).toList();
        if (!deaths.isEmpty()) {
            throw new AssertionError(
                    "round " + round + ": threads died: " + deaths + "; nodes: " + zk.describe(),
                    deaths.get(0).error());
        }
        List<String> unnamed = ensembleThreads(zk).stream()
                .filter(LeaderKillStress::isReachabilityCheck)
                .map(Thread::getName)
                .toList();
        if (!unnamed.isEmpty()) {
            throw new AssertionError("round " + round + ": unnamed threads (reachability checks?) in " + zk.name()
                    + ": " + unnamed + "\n" + dump(zk));
        }
    }

    /** The live threads of {@code zk}'s thread groups (its name, and its nodes' groups below it). */
    static List<Thread> ensembleThreads(ZkEnsemble zk) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> {
                    ThreadGroup g = t.getThreadGroup();
                    return g != null
                            && (g.getName().equals(zk.name()) || g.getName().startsWith(zk.name() + "-"));
                })
                .toList();
    }

    /**
     * Whether {@code t} is one of ZooKeeper's multi-address reachability checks: an unnamed {@code Thread-N}
     * running {@code SendWorker.asyncValidateIfSocketIsStillReachable}. (Other unnamed threads are ZooKeeper's
     * that name themselves once they run, such as the leader's {@code Sender-} threads.)
     */
    static boolean isReachabilityCheck(Thread t) {
        String name = t.getName();
        if (!name.startsWith("Thread-") || !name.substring(7).chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getMethodName().contains("IsStillReachable")
                        || f.getMethodName().equals("isReachable"));
    }

    /**
     * The number the JVM will give the next unnamed thread ({@code Thread-N}): the difference over a run counts
     * every unnamed thread created meanwhile, also those that lived too briefly to be seen. (ZooKeeper's leader
     * also starts unnamed {@code Sender-} threads that rename themselves, so compare runs, not with zero.)
     */
    static int nextUnnamedThreadNumber() {
        return Integer.parseInt(new Thread(() -> {}).getName().substring("Thread-".length()));
    }

    private static ThreadGroup ensembleGroup(ZkEnsemble zk) {
        ThreadGroup g = ensembleThreads(zk).get(0).getThreadGroup();
        while (!g.getName().equals(zk.name())) {
            g = g.getParent();
        }
        return g;
    }

    /**
     * Looks at the ensemble's threads every millisecond and keeps the names of unnamed ones: the reachability
     * checks live for milliseconds only, so a check at the end of each round would miss them.
     */
    static final class UnnamedThreadWatch implements AutoCloseable {
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Thread watcher;
        private volatile boolean running = true;

        UnnamedThreadWatch(ThreadGroup group) {
            watcher = new Thread(
                    () -> {
                        Thread[] buffer = new Thread[4096];
                        while (running) {
                            int n = group.enumerate(buffer, true);
                            for (int i = 0; i < n; i++) {
                                if (isReachabilityCheck(buffer[i])) {
                                    seen.add(buffer[i].getName() + "@"
                                            + buffer[i].getThreadGroup().getName());
                                }
                            }
                            LockSupport.parkNanos(1_000_000);
                        }
                    },
                    "leader-kill-stress-unnamed-thread-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        Set<String> seen() {
            return seen;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            watcher.join(1_000);
        }
    }

    private static String dump(ZkEnsemble zk) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> ensembleThreads(zk).contains(e.getKey()))
                .map(e -> e.getKey().getName() + " ("
                        + e.getKey().getThreadGroup().getName() + ")\n    at "
                        + Arrays.stream(e.getValue())
                                .limit(6)
                                .map(String::valueOf)
                                .collect(Collectors.joining("\n    at ")))
                .collect(Collectors.joining("\n"));
    }

    private static void write(ZkEnsemble zk, int round) throws Exception {
        try (ZooKeeper client = new ZooKeeper(zk.leader().connectString(), 10_000, event -> {})) {
            long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
            while (client.getState() != ZooKeeper.States.CONNECTED) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "round " + round + ": no client connection to the leader; nodes: " + zk.describe());
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            client.create("/round-" + round, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
                    .split(" ");
            return parts[0] + "/" + parts[1] + "/" + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
