package io.github.zkharness.bench;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Prints one line per scenario: {@code scenario=<name> harness_ms=<median> harness_min=.. harness_max=.. runs=N}
 * (thread scenarios print counts in the same columns). Run with {@code bin/zk-bench}; {@code --rounds N} sets
 * the measured rounds per scenario (default 15), after one warm-up round that is not counted (the cold start is
 * reported on its own as {@code cold_ready3}).
 */
public final class ZkBench {

    private ZkBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 15;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: zk-bench [--rounds N]");
                System.exit(2);
            }
        }
        System.out.printf(Locale.ROOT, "# zk-harness bench: %d rounds per scenario, %d cores, java %s%n", rounds,
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        report("cold_ready3", List.of(readyToFirstWrite(3, false)));
        report("ready3", repeat(rounds, () -> readyToFirstWrite(3, false)));
        report("ready5", repeat(rounds, () -> readyToFirstWrite(5, false)));
        report("ready3_nolinks", repeat(rounds, () -> readyToFirstWrite(3, true)));
        report("failover_kill_leader", repeat(rounds, ZkBench::failoverKillLeader));
        report("restart_node", repeat(rounds, ZkBench::restartNode));
        report("close3", repeat(rounds, ZkBench::close3));
        report("isolate_leader", repeat(rounds, () -> leaderFaultUntilMajorityWrite(true)));
        report("freeze_leader", repeat(rounds, () -> leaderFaultUntilMajorityWrite(false)));
        report("isolate_leader_existing_client", repeat(rounds, () -> leaderFaultUntilWrite(true)));
        report("heal_catchup", repeat(rounds, ZkBench::healCatchUp));
        linkOverhead(Math.max(3, rounds / 3));
        reportCount("threads3", threadsWhileRunning(3));
        reportCount("threads5", threadsWhileRunning(5));
    }

    /** From nothing to the first acknowledged client write. */
    private static long readyToFirstWrite(int voters, boolean noLinks) {
        long start = System.nanoTime();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).links(!noLinks).start()) {
            ZooKeeper client = connect(zk.connectString());
            try {
                client.create("/first", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return System.nanoTime() - start;
            } finally {
                client.close();
            }
        } catch (KeeperException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Leader killed until a write through an existing client succeeds again. */
    private static long failoverKillLeader() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZooKeeper client = connect(zk.connectString());
            try {
                client.create("/warm", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                long start = System.nanoTime();
                zk.leader().kill();
                writeUntilAccepted(client, "/after-failover");
                return System.nanoTime() - start;
            } finally {
                client.close();
            }
        } catch (KeeperException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The leader isolated (connections reset) or frozen (held, no reset) until the majority accepts a write: a
     * new leader other than the old one serves and a write from a client connected to it succeeds.
     */
    private static long leaderFaultUntilMajorityWrite(boolean isolate) {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode old = zk.leader();
            long start = System.nanoTime();
            if (isolate) {
                zk.network().isolate(old.id());
            } else {
                zk.network().freeze(old.id());
            }
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            ZkNode next = null;
            while (next == null) {
                for (ZkNode n : zk.nodes()) {
                    if (n.id() != old.id() && n.role() == io.github.zkharness.Role.LEADER && n.isServing()) {
                        next = n;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no new leader within 30 s: " + zk.describe());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            ZooKeeper client = connect(next.connectString());
            try {
                writeUntilAccepted(client, "/after-fault");
                return System.nanoTime() - start;
            } finally {
                client.close();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same, measured through a client that was connected before the fault (it backs off up to 1 s). */
    private static long leaderFaultUntilWrite(boolean isolate) {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            ZooKeeper client = connect(follower.connectString());
            try {
                client.create("/warm", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                long start = System.nanoTime();
                if (isolate) {
                    zk.network().isolate(leader.id());
                } else {
                    zk.network().freeze(leader.id());
                }
                writeUntilAccepted(client, "/after-fault");
                return System.nanoTime() - start;
            } finally {
                client.close();
            }
        } catch (KeeperException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A follower isolated while 200 writes commit; from heal until it has applied them all. */
    private static long healCatchUp() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode follower = zk.followers().get(0);
            ZooKeeper client = connect(zk.leader().connectString());
            try {
                io.github.zkharness.network.Fault cut = zk.network().isolate(follower.id());
                follower.awaitRole(io.github.zkharness.Role.LOOKING, Duration.ofSeconds(10));
                for (int i = 0; i < 200; i++) {
                    client.create("/n-", new byte[16], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
                }
                long target = zk.leader().lastZxid();
                long start = System.nanoTime();
                cut.heal();
                long deadline = start + TimeUnit.SECONDS.toNanos(30);
                while (!(follower.isServing() && follower.lastZxid() >= target)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no catch-up within 30 s: " + zk.describe());
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                }
                return System.nanoTime() - start;
            } finally {
                client.close();
            }
        } catch (KeeperException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Write throughput (async creates, 100 in flight) through the links vs straight to the servers. */
    private static void linkOverhead(int rounds) throws Exception {
        List<Long> linked = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        writesPerSecond(true); // warm-up
        for (int i = 0; i < rounds; i++) {
            linked.add(writesPerSecond(true));
            direct.add(writesPerSecond(false));
        }
        Collections.sort(linked);
        Collections.sort(direct);
        double l = median(linked);
        double d = median(direct);
        System.out.printf(Locale.ROOT, "scenario=link_overhead linked_writes_s=%.0f direct_writes_s=%.0f ratio=%.2f"
            + " linked_min=%d linked_max=%d direct_min=%d direct_max=%d runs=%d%n", l, d, l / d, linked.get(0),
            linked.get(linked.size() - 1), direct.get(0), direct.get(direct.size() - 1), rounds);
    }

    private static long writesPerSecond(boolean links) throws Exception {
        int total = 5000;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).links(links).start()) {
            // through a follower: client -> follower -> leader -> followers, every hop on a link
            ZooKeeper client = connect(zk.followers().get(0).connectString());
            try {
                java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(100);
                CountDownLatch done = new CountDownLatch(total);
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    window.acquire();
                    client.create("/w-", new byte[64], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                        (rc, path, ctx, name) -> {
                            window.release();
                            done.countDown();
                        }, null);
                }
                if (!done.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("writes did not complete within 60 s");
                }
                return Math.round(total / ((System.nanoTime() - start) / 1e9));
            } finally {
                client.close();
            }
        }
    }

    /** A killed follower until it serves again. */
    private static long restartNode() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode follower = zk.followers().get(0).kill();
            long start = System.nanoTime();
            follower.restart().awaitServing(Duration.ofSeconds(30));
            return System.nanoTime() - start;
        }
    }

    private static long close3() {
        ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
        long start = System.nanoTime();
        zk.close();
        return System.nanoTime() - start;
    }

    /** JVM threads while an ensemble runs with one connected client, minus the threads before it started. */
    private static long threadsWhileRunning(int voters) throws Exception {
        long before = Thread.activeCount();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(voters).start()) {
            ZooKeeper client = connect(zk.connectString());
            try {
                client.create("/t", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                long clientThreads = 2; // a ZooKeeper client runs a send and an event thread: not the ensemble's
                return Thread.activeCount() - before - clientThreads;
            } finally {
                client.close();
            }
        }
    }

    private static void writeUntilAccepted(ZooKeeper client, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                client.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return;
            } catch (KeeperException.NodeExistsException e) {
                return; // an earlier attempt went through after all
            } catch (KeeperException e) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
        throw new IllegalStateException("no write accepted within 30 s after the leader was killed");
    }

    static ZooKeeper connect(String connectString) {
        try {
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper zk = new ZooKeeper(connectString, 10_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            if (!connected.await(30, TimeUnit.SECONDS)) {
                zk.close();
                throw new IllegalStateException("client did not connect to " + connectString + " within 30 s");
            }
            return zk;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> repeat(int rounds, LongSupplier run) {
        run.getAsLong(); // warm-up, not counted
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            nanos.add(run.getAsLong());
        }
        return nanos;
    }

    private static void report(String scenario, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "scenario=%s harness_ms=%.1f harness_min=%.1f harness_max=%.1f runs=%d%n",
            scenario, ms(median(sorted)), ms(sorted.get(0)), ms(sorted.get(sorted.size() - 1)), sorted.size());
    }

    private static void reportCount(String scenario, long count) {
        System.out.printf(Locale.ROOT, "scenario=%s harness_ms=%d harness_min=%d harness_max=%d runs=1%n",
            scenario, count, count, count);
    }

    static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static double ms(double nanos) {
        return nanos / 1_000_000.0;
    }
}
