package io.github.zkharness.bench;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.bench.junit.HarnessSuite;
import io.github.zkharness.bench.junit.SuiteClasses;
import io.github.zkharness.bench.junit.SuiteJUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.LoggerFactory;

/** zk-harness's side of each scenario, run in the benchmark's own JVM. Each method is one measured run. */
final class HarnessScenarios {

    private HarnessScenarios() {}

    /** From nothing to the first acknowledged client write. */
    static Run ready(int voters, boolean links) throws InterruptedException {
        StartMarks.install();
        StartMarks.clear();
        Run.Profile p = new Run.Profile();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).links(links).start()) {
            StartMarks.addTo(p);
            p.mark("started");
            Clients.Events events = new Clients.Events();
            ZooKeeper client = Clients.open(zk.connectString(), events);
            try {
                Clients.create(client, "/first");
                Run run = p.end();
                long connected = events.first(KeeperState.SyncConnected, p.start());
                p.markAt("last_connect_attempt", events.lastAttempt(connected));
                p.markAt("connected", connected);
                p.add("connect_attempts_count", events.attempts(p.start()));
                return run;
            } finally {
                client.close();
            }
        }
    }

    /** Leader killed until a write through an existing client succeeds again. */
    static Run failoverKillLeader() throws InterruptedException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            Clients.Events events = new Clients.Events();
            ZooKeeper client = Clients.open(zk.connectString(), events);
            try {
                Clients.create(client, "/warm");
                ZkNode leader = zk.leader();
                Run.Profile p = new Run.Profile();
                leader.kill();
                p.mark("killed");
                Clients.create(client, "/after-failover");
                Run run = p.end();
                p.markAt("disconnected", events.first(KeeperState.Disconnected, p.start()));
                long reconnected = events.first(KeeperState.SyncConnected, p.start());
                p.markAt("last_connect_attempt", events.lastAttempt(reconnected));
                p.markAt("reconnected", reconnected);
                p.add("connect_attempts_count", events.attempts(p.start()));
                return run;
            } finally {
                client.close();
            }
        }
    }

    /**
     * Leader killed until a new leader serves a fresh client's write: the clock runs from the kill until a node other
     * than the old leader leads with a quorum (the harness's own view, looked at every 0.2 ms), a new client connected
     * to that node only, and its first write was acknowledged. No client backoff is in it: the ensemble's part.
     */
    static Run failoverNewLeader() throws InterruptedException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode old = zk.leader();
            Run.Profile p = new Run.Profile();
            old.kill();
            p.mark("killed");
            return newLeaderWrites(zk, old, p, "/after-failover");
        }
    }

    /** A killed follower from its restart until it serves again ({@code srvr} says so). */
    static Run restartNode() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode follower = zk.followers().get(0).kill();
            InetSocketAddress address = follower.status().clientAddress();
            Run.Profile p = new Run.Profile();
            follower.restart();
            p.mark("restart_returned");
            Clients.awaitMode(address.getHostString(), address.getPort(), "follower", 30_000);
            return p.end();
        }
    }

    /** {@code close()} of a running 3-node ensemble; the profile counts the threads still alive when it returns. */
    static Run close3() {
        int before = Threads.count();
        ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
        Run.Profile p = new Run.Profile();
        zk.close();
        Run run = p.end();
        p.add("threads_left_count", Threads.count() - before);
        return run;
    }

    /**
     * A class of {@code tests} tests that each need a clean 3-node ensemble, as JUnit runs it with zk-harness: one
     * ensemble for the class, {@link ZkEnsemble#reset()} between tests, closed after the last. A test that fails (its
     * reset or its body) is counted ({@code failed_tests_count}) and the next one runs, as in JUnit.
     */
    static Run suite(int tests) throws InterruptedException {
        Run.Profile p = new Run.Profile();
        long t = System.nanoTime();
        ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
        p.add("start", System.nanoTime() - t);
        try {
            for (int i = 0; i < tests; i++) {
                try {
                    if (i > 0) {
                        t = System.nanoTime();
                        zk.reset();
                        p.add("reset", System.nanoTime() - t);
                    }
                    t = System.nanoTime();
                    p.add("test_client_close", Clients.suiteTest(zk.connectString(), i));
                    p.add("tests", System.nanoTime() - t);
                } catch (RuntimeException e) {
                    p.add("failed_tests_count", 1);
                    LoggerFactory.getLogger(HarnessScenarios.class).warn("suite test {} failed", i, e);
                }
            }
        } finally {
            t = System.nanoTime();
            zk.close();
            p.add("close", System.nanoTime() - t);
        }
        return p.end();
    }

    /**
     * {@link ZkEnsemble#reset()} of a 3-node ensemble holding {@code znodes} znodes of 16 bytes in folders of 1,000
     * (written with pipelined asynchronous creates before the clock starts; the client is closed first).
     */
    static Run reset(int znodes) throws InterruptedException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZooKeeper client = Clients.open(zk.connectString());
            try {
                Clients.create(client, "/warm");
                Semaphore window = new Semaphore(500);
                CountDownLatch done = new CountDownLatch(znodes);
                int folders = (znodes + 999) / 1000;
                for (int f = 0; f < folders; f++) {
                    Clients.create(client, "/folder-" + f);
                }
                for (int i = 0; i < znodes; i++) {
                    window.acquire();
                    client.create(
                            "/folder-" + (i / 1000) + "/z-" + i,
                            new byte[16],
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT,
                            (rc, path, ctx, name) -> {
                                window.release();
                                done.countDown();
                            },
                            null);
                }
                if (!done.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the " + znodes + " creates did not complete within 120 s");
                }
            } finally {
                client.close();
            }
            Run.Profile p = new Run.Profile();
            zk.reset();
            return p.end();
        }
    }

    /** {@code tests} tests through the JUnit engine, zk-harness's extension injecting both clients. */
    static Run suiteJUnit(int tests) {
        Run.Profile p = new Run.Profile();
        p.add("failed_tests_count", SuiteJUnit.run(HarnessSuite.class, tests));
        return p.end();
    }

    /**
     * 20 classes of 5 tests through the JUnit engine: every class on one ensemble shared by name, then every class
     * on its own, alternating; the value is shared/own in parts per million, the profile has both times (ms).
     */
    static Run suiteClasses() {
        Map<String, Long> profile = new LinkedHashMap<>();
        long shared = timedSuite(true, profile);
        long own = timedSuite(false, profile);
        profile.put("shared", shared * 1_000_000); // profile values are nanoseconds, printed as ms
        profile.put("own", own * 1_000_000);
        return new Run(Math.round(1e6 * shared / own), profile);
    }

    private static long timedSuite(boolean shared, Map<String, Long> profile) {
        long start = System.nanoTime();
        long failed = SuiteJUnit.runAll(SuiteClasses.classes(shared), SuiteClasses.CLASSES * 5);
        profile.put((shared ? "shared" : "own") + "_failed_tests_count", failed);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Heap the ensemble keeps while it runs with one connected client that wrote one znode: used heap after full
     * collections, minus the same before it started (value in bytes).
     */
    static Run heap(int voters) throws InterruptedException {
        long before = Heap.baseline();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).start()) {
            ZooKeeper client = Clients.open(zk.connectString());
            try {
                Clients.create(client, "/h");
                return Run.of(Heap.usedAfterGc() - before);
            } finally {
                client.close();
            }
        }
    }

    /** Threads the ensemble adds to the JVM while it runs with one connected client (the client's not counted). */
    static Run threads(int voters) throws InterruptedException {
        Map<String, Long> before = Threads.byName();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).start()) {
            ZooKeeper client = Clients.open(zk.connectString());
            try {
                Clients.create(client, "/t");
                return Threads.started(before);
            } finally {
                client.close();
            }
        }
    }

    /**
     * The leader isolated (connections reset) or frozen (held, no reset) until the majority accepts a write: a
     * new leader other than the old one serves and a write from a client connected to it succeeds.
     */
    static Run leaderFaultUntilMajorityWrite(boolean isolate) throws InterruptedException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode old = zk.leader();
            Run.Profile p = new Run.Profile();
            if (isolate) {
                zk.network().isolate(old);
            } else {
                zk.network().freeze(old);
            }
            return newLeaderWrites(zk, old, p, "/after-fault");
        }
    }

    /** The same, measured through a client that was connected to a follower before the fault. */
    static Run leaderFaultUntilWrite(boolean isolate) throws InterruptedException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            ZooKeeper client = Clients.open(follower.connectString());
            try {
                Clients.create(client, "/warm");
                Run.Profile p = new Run.Profile();
                if (isolate) {
                    zk.network().isolate(leader);
                } else {
                    zk.network().freeze(leader);
                }
                Clients.create(client, "/after-fault");
                return p.end();
            } finally {
                client.close();
            }
        }
    }

    /** A follower isolated while 200 writes commit; from heal until it has applied them all. */
    static Run healCatchUp() throws InterruptedException {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode follower = zk.followers().get(0);
            ZooKeeper client = Clients.open(zk.leader().connectString());
            try {
                Fault cut = zk.network().isolate(follower);
                follower.awaitRole(Role.LOOKING, Duration.ofSeconds(10));
                for (int i = 0; i < 200; i++) {
                    Clients.create(client, "/n-" + i, new byte[16]);
                }
                long target = zk.leader().status().lastZxid();
                Run.Profile p = new Run.Profile();
                cut.heal();
                long deadline = p.start() + TimeUnit.SECONDS.toNanos(30);
                while (!(follower.isServing() && follower.status().lastZxid() >= target)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no catch-up within 30 s: " + zk.describe());
                    }
                    LockSupport.parkNanos(500_000);
                }
                return p.end();
            } finally {
                client.close();
            }
        }
    }

    /**
     * Write throughput (5000 async creates through a follower, 100 in flight) with the links, then without: the value
     * is linked/direct in parts per million; the profile has both rates (writes per second), the CPU time this JVM
     * spent per write in each (microseconds), and the part of it the links' thread took.
     */
    static Run linkOverhead() throws InterruptedException {
        Map<String, Long> profile = new LinkedHashMap<>();
        long linked = writesPerSecond(true, profile);
        long direct = writesPerSecond(false, profile);
        profile.put("linked_writes_s", linked);
        profile.put("direct_writes_s", direct);
        return new Run(Math.round(1e6 * linked / direct), profile);
    }

    private static long writesPerSecond(boolean links, Map<String, Long> profile) throws InterruptedException {
        int total = 5000;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).links(links).start()) {
            // through a follower: client -> follower -> leader -> followers, every hop on a link
            ZooKeeper client = Clients.open(zk.followers().get(0).connectString());
            try {
                Clients.create(client, "/warm");
                Semaphore window = new Semaphore(100);
                CountDownLatch done = new CountDownLatch(total);
                long cpu = processCpuNanos();
                long linkCpu = linkThreadCpuNanos();
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    window.acquire();
                    client.create(
                            "/w-",
                            new byte[64],
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT_SEQUENTIAL,
                            (rc, path, ctx, name) -> {
                                window.release();
                                done.countDown();
                            },
                            null);
                }
                if (!done.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("writes did not complete within 60 s");
                }
                long elapsed = System.nanoTime() - start;
                String side = links ? "linked" : "direct";
                profile.put(side + "_cpu_us_per_write_count", (processCpuNanos() - cpu) / total / 1000);
                if (links) {
                    profile.put("links_thread_cpu_us_per_write_count", (linkThreadCpuNanos() - linkCpu) / total / 1000);
                }
                return Math.round(total / (elapsed / 1e9));
            } finally {
                client.close();
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the thread that serves every link of an ensemble ({@code zk-harness-links-...}). */
    private static long linkThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        // ThreadInfo's id, not Thread.getId() (deprecated since Java 19; its replacement needs 19)
        for (ThreadInfo t : threads.dumpAllThreads(false, false, 0)) {
            if (t.getThreadName().startsWith("zk-harness-links")) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    /**
     * Waits (30 s at most, looking every 0.2 ms) until a node other than {@code old} leads and serves, marks
     * {@code new_leader_serving}, then has a fresh client connected to that node alone write {@code path}: the
     * run ends when the write is acknowledged.
     */
    private static Run newLeaderWrites(ZkEnsemble zk, ZkNode old, Run.Profile p, String path)
            throws InterruptedException {
        long deadline = p.start() + TimeUnit.SECONDS.toNanos(30);
        ZkNode next = null;
        while (next == null) {
            for (ZkNode n : zk.nodes()) {
                if (n.id() != old.id() && n.role() == Role.LEADER && n.isServing()) {
                    next = n;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no new leader within 30 s: " + zk.describe());
            }
            LockSupport.parkNanos(200_000);
        }
        p.mark("new_leader_serving");
        ZooKeeper client = Clients.open(next.connectString());
        try {
            Clients.create(client, path);
            return p.end();
        } finally {
            client.close();
        }
    }
}
