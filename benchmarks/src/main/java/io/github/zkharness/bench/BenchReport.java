package io.github.zkharness.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.zookeeper.Version;

/**
 * What {@link ZkBench} writes when it is done: {@code bench-results.txt} (how the run was made, one line per
 * scenario, each side's profile, what Curator left behind) and the chart {@code bench.png}; the comment lines also
 * go to standard output.
 */
final class BenchReport {

    private final List<Result> results;
    private final int rounds;
    private final String curatorCommandLine;
    private final List<String> deaths;
    private final ChildJvm.LeftFiles left;
    private final LocalDateTime started;
    private final double loadBefore;
    private final double loadAfter;
    private final long seconds;

    BenchReport(
            List<Result> results,
            int rounds,
            String curatorCommandLine,
            List<String> deaths,
            ChildJvm.LeftFiles left,
            LocalDateTime started,
            double loadBefore,
            double loadAfter,
            long seconds) {
        this.results = List.copyOf(results);
        this.rounds = rounds;
        this.curatorCommandLine = curatorCommandLine;
        this.deaths = List.copyOf(deaths);
        this.left = left;
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.seconds = seconds;
    }

    /** Prints the report's comment lines, writes {@code bench-results.txt} and {@code bench.png} to {@code out}. */
    void write(Path out) throws IOException {
        String java = System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
        int cores = Runtime.getRuntime().availableProcessors();
        String heap = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx"))
                .findFirst()
                .orElse("default heap");
        List<String> text = new ArrayList<>();
        text.add("# zk-harness vs Curator TestingCluster (curator-test " + ZkBench.CURATOR_VERSION
                + "), both on ZooKeeper " + Version.getFullVersion().replaceAll("[- ].*", "") + "; bin/zk-bench, "
                + started);
        text.add("# zk-harness built from " + System.getProperty("zk.bench.source", "an unknown source"));
        text.add(String.format(
                Locale.ROOT,
                "# machine: %d cores, %s %s, java %s, %s per JVM; load average %.2f at start,"
                        + " %.2f at end; took %d s",
                cores,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                java,
                heap,
                loadBefore,
                loadAfter,
                seconds));
        text.add("# runs: " + rounds + " per scenario after one warm-up run on each side (cold_ready3: " + 2 * rounds
                + ", no warm-up; before the first warm scenario both JVMs start 3 ensembles unmeasured; suite50: "
                + Math.max(2, rounds / 3)
                + " after a 5-test warm-up suite; threads and heap: 3, heap without warm-up); the sides"
                + " alternate run by run (A B, B A, ...); medians, min and max in ms unless unit= says otherwise");
        text.add("# Curator runs in a child JVM (" + curatorCommandLine + "): same java, heap and class path,"
                + " so the same ZooKeeper jar, and none of zk-harness's JVM-wide settings (forceSync=no, 1 NIO selector and"
                + " no worker threads, maxNotificationInterval=1000, no JMX, ...): Curator's servers run with ZooKeeper's"
                + " defaults (fsync on each log write, JMX beans) plus what TestingCluster sets itself (tickTime 1000,"
                + " 4lw whitelist *, no admin server). Its java.io.tmpdir is a fresh directory so that what it leaves"
                + " there can be counted.");
        text.add(
                "# cold_ready3: each run is the first thing a fresh JVM does, on each side a child JVM of its own (zk-harness's"
                        + " too, with the same java, heap and class path), the sides alternating; the JVM's own start and logging's"
                        + " set-up come before the clock starts. On the Curator side the client's first attempt usually comes before"
                        + " the servers serve, so its connect waits ZooKeeper's random 0-1 s pause: hence the spread.");
        text.add("# The same client code on both sides: a plain ZooKeeper client (session timeout "
                + Clients.SESSION_TIMEOUT_MS
                + " ms) on the whole connect string, writes retried every 2 ms on connection"
                + " loss; 'serves' = srvr says Mode: follower/leader; the leader (Curator) is found with srvr before the"
                + " clock starts.");
        text.add(
                "# suite50: JUnit's lifecycle simulated in a loop, not the JUnit engine: each test connects a client,"
                        + " writes 3 znodes, reads them back, closes the client; zk-harness: one ensemble started for the class,"
                        + " reset() between tests, closed at the end; Curator: new TestingCluster(3), start(), test, close() per test.");
        text.add(
                "# Both sides pay three things of ZooKeeper's client (3.9.5, NIO socket): close() sleeps 100 ms"
                        + " (ClientCnxnSocketNIO.cleanup); every reconnection after a lost connection first sleeps a random"
                        + " 0-999 ms (ClientCnxn.SendThread.startConnect); after trying every server it waits 1 s"
                        + " (StaticHostProvider.next). See test_client_close, last_connect_attempt and connect_attempts_count below.");
        text.add(
                "# suite50_junit: the real JUnit engine (platform launcher) runs 50 parameterized tests in each JVM; each"
                        + " test writes /a and /b with a ZooKeeper client and /c with a CuratorFramework and reads each back with"
                        + " the client that wrote it; zk-harness: @ZkCluster on the class, both clients injected (and closed by the"
                        + " extension); Curator: a fresh TestingCluster in @BeforeEach, closed in @AfterEach, the test opening and"
                        + " closing the same two clients.");
        text.add("# failover_kill_leader measures ZooKeeper's client as much as the ensemble: its floor is the client's"
                + " random 0-1 s pause before reconnecting, plus 1 s after cycling through every server, on both sides."
                + " failover_new_leader is the ensemble's part: from the kill until another node leads (zk-harness: its own"
                + " view, every 0.2 ms; Curator: srvr on each survivor, every 1 ms) and a fresh client connected to it alone"
                + " has its first write acknowledged. ZooKeeper's election alone waits 200 ms (finalizeWait).");
        text.add(
                "# *_same_settings: Curator in a second JVM with zk-harness's settings where they differ: tickTime 100 ms,"
                        + " sessions 200 ms to 60 s, -Dzookeeper.forceSync=no (zk-harness side unchanged). reset_*: reset() of a"
                        + " 3-node ensemble holding that many 16-byte znodes in folders of 1,000 (harness only). heap3/heap5: heap in"
                        + " use after full GCs while the ensemble runs with one client, minus the same before it started (after 4 s"
                        + " for earlier runs' lingering threads to let go; unit=mb, 10^6 bytes).");
        text.add("# threads: live threads of the whole JVM while the ensemble runs with one client, minus those before"
                + " it started and the client's 2 (unit=threads, not ms); link_overhead: zk-harness write throughput"
                + " through its links / without, 5000 async creates through a follower, 100 in flight, the two measured"
                + " back to back in each run (unit=ratio: the median of the runs' ratios, higher is better).");
        for (Result r : results) {
            text.add(r.line());
        }
        text.add("# profile: medians, in ms from the clock's start (marks) or summed over the run (suite50), or thread"
                + " counts by name");
        for (Result r : results) {
            if (r.error != null) {
                continue;
            }
            text.add("#   " + r.scenario + " harness: " + format(Result.profile(r.harness, r.unit)));
            if (r.hasCurator()) {
                text.add("#   " + r.scenario + " curator: " + format(Result.profile(r.curator, r.unit)));
            }
        }
        for (Result r : results) {
            for (String f : r.failuresWithSides()) {
                text.add("# failed run: " + r.scenario + " " + f);
            }
        }
        text.add("# Curator left " + left.files() + " files (and " + left.directories() + " directories) in its"
                + " java.io.tmpdir" + (left.examples().isEmpty() ? "" : ", e.g. " + String.join(", ", left.examples()))
                + "; the benchmark deleted them");
        text.add("# the Curator JVM died " + deaths.size() + " times" + (deaths.isEmpty() ? "" : ": " + deaths));
        for (String line : text) {
            if (line.startsWith("#")) {
                System.out.println(line);
            }
        }
        Files.createDirectories(out);
        Files.write(out.resolve("bench-results.txt"), text, StandardCharsets.UTF_8);
        String subtitle = String.format(
                Locale.ROOT,
                "%d cores, Java %s, %s, %s; %d runs per scenario after a warm-up,"
                        + " sides alternating; load average %.1f",
                cores,
                System.getProperty("java.version"),
                heap,
                LocalDate.from(started).format(DateTimeFormatter.ISO_LOCAL_DATE),
                rounds,
                loadBefore);
        try {
            BenchChart.write(out.resolve("bench.png"), results, subtitle);
        } catch (Exception | Error e) {
            System.err.println("zk-bench: could not draw the chart: " + e);
        }
        System.err.println("zk-bench: wrote " + out.resolve("bench-results.txt") + " and " + out.resolve("bench.png"));
    }

    private static String format(Map<String, String> profile) {
        StringBuilder s = new StringBuilder();
        profile.forEach((k, v) ->
                s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }
}
