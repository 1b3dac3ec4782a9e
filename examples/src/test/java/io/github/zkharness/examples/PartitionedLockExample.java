package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.chaos.ChaosKind;
import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import io.github.zkharness.chaos.ChaosStep;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.curator.RecordingMutex;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.CloseableUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A ZooKeeper lock belongs to a session, and a partition can take the session away from a process that still runs.
 * Three processes, each a Curator client of one server, take turns on one {@code InterProcessMutex}; process 1 holds
 * it first. A seeded chaos schedule isolates node 1 (the seed decides that: {@link ChaosSchedule#plan(int)} shows
 * it), so process 1 sits on the minority side: its server stops serving, its session expires on the majority side
 * after the session timeout, ZooKeeper deletes its lock node, and process 2 or 3 gets the lock.
 *
 * <ul>
 *   <li>A lock that ignores the connection state keeps working through the partition: its process still believes it
 *       holds the lock when another one gets it. {@link MutualExclusion} flags the history and shows both holding
 *       intervals and the isolation in force.</li>
 *   <li>The same mutex used as Curator's documentation says ({@link RecordingMutex}: SUSPENDED or LOST means the lock
 *       may be gone, so the work stops) is not flagged on the same seeds: its client is told SUSPENDED as soon as its
 *       server stops serving (half a second here), long before the session can expire.</li>
 * </ul>
 * Fencing (writing only with the lock node's version, or an epoch) is still needed against what no listener can see:
 * a holder paused longer than the session timeout.
 */
class PartitionedLockExample {

    private static final String LOCK = "/locks/orders";

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2, 6})
    void aLockThatIgnoresTheConnectionStateIsHeldTwiceAtOnce(long seed) throws Exception {
        CheckResult result = runUnderPartition(seed, false);
        assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.INVALID);
        assertThat(result.explanation())
                .contains("two processes held lock " + LOCK + " at once", "Faults in force: isolate node 1");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2, 6})
    void curatorsMutexUsedAsDocumentedIsNeverHeldTwice(long seed) throws Exception {
        CheckResult result = runUnderPartition(seed, true);
        assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
    }

    private static CheckResult runUnderPartition(long seed, boolean documented) throws Exception {
        History history = new History();
        CountDownLatch stop = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<CuratorFramework> clients = new ArrayList<>();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ChaosSchedule schedule = ChaosSchedule.of(zk)
                    .seed(seed)
                    .kinds(ChaosKind.ISOLATE)
                    .hold(Duration.ofMillis(2500), Duration.ofMillis(3000))
                    .duration(Duration.ofSeconds(1))
                    .history(history);
            assertThat(schedule.plan(1).get(0).target()).isEqualTo("node 1"); // the seed picks node 1
            try {
                for (ZkNode server : zk.nodes()) {
                    CuratorFramework client = clientOf(server);
                    clients.add(client);
                    int process = server.id();
                    Runnable work = documented
                            ? () -> documentedWorker(new RecordingMutex(client, LOCK, history, process), stop)
                            : () -> ignoringWorker(client, history, process, stop);
                    Thread worker = new Thread(work, "process-" + process);
                    workers.add(worker);
                    worker.start();
                    if (process == 1) { // process 1 holds the lock first
                        zk.await(
                                "process 1 holding the lock",
                                () -> !history.events().isEmpty());
                    }
                }
                try (ChaosRun run = schedule.start()) {
                    zk.await(
                            "the isolation healed",
                            Duration.ofSeconds(20),
                            () -> !run.steps().isEmpty() && run.steps().get(0).status() == ChaosStep.Status.DONE);
                }
            } finally {
                stop.countDown();
                for (Thread w : workers) {
                    w.join(10_000);
                }
                clients.forEach(CloseableUtils::closeQuietly);
            }
        }
        return MutualExclusion.of().check(history);
    }

    /** Holds the lock for 4 s of work each time, whatever its connection says: the broken way. */
    private static void ignoringWorker(CuratorFramework client, History history, int process, CountDownLatch stop) {
        InterProcessMutex mutex = new InterProcessMutex(client, LOCK);
        while (stop.getCount() > 0) {
            try {
                if (mutex.acquire(200, TimeUnit.MILLISECONDS)) {
                    history.acquired(process, LOCK);
                    stop.await(4, TimeUnit.SECONDS); // the protected work
                    history.released(process, LOCK);
                    mutex.release();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // connection trouble: try again
            }
        }
    }

    /** Works only while {@link RecordingMutex#holds()}: stops the moment the connection is SUSPENDED or LOST. */
    private static void documentedWorker(RecordingMutex mutex, CountDownLatch stop) {
        while (stop.getCount() > 0) {
            try {
                if (mutex.acquire(Duration.ofMillis(200))) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                    while (mutex.holds() && System.nanoTime() < end && !stop.await(20, TimeUnit.MILLISECONDS)) {
                        // a slice of the protected work, then check that the lock is still ours
                    }
                    mutex.release();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                mutex.release();
            }
        }
    }

    /** A client of {@code server} alone, so that it stays on its server's side of a partition. */
    private static CuratorFramework clientOf(ZkNode server) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(server.connectString())
                .ensembleTracker(false)
                .sessionTimeoutMs(1200)
                .connectionTimeoutMs(1000)
                .retryPolicy(new RetryNTimes(3, 100))
                .build();
        client.start();
        return client;
    }
}
