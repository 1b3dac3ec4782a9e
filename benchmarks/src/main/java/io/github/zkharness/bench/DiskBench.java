package io.github.zkharness.bench;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.internal.DiskState;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.server.NodeStorage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.io.FileUtils;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.TxnHeader;

/**
 * The numbers behind disk faults, one run: {@code DiskBench [--rounds N]}.
 *
 * <ul>
 *   <li>{@code disk_write_latency}: median latency of sequential creates on a 3-voter ensemble with no fault, a
 *       slow leader log, a slow follower log, and slow logs on the leader and a follower (50 ms per flush), same
 *       ensemble, same run;</li>
 *   <li>{@code disk_follower_stall_drop}: how long until ZooKeeper stops a follower from serving when its log
 *       stalls (every flush held 60 s) under a steady write load, bounded at 15 s;</li>
 *   <li>{@code disk_storage_overhead}: appends (flush every 100) per second through ZooKeeper's own
 *       {@code FileTxnSnapLog} and through the harness's {@code NodeStorage} with no fault, alternating rounds,
 *       same run; the ratio with/without (target at least 0.95).</li>
 * </ul>
 */
// try-with-resources on ZooKeeper clients and fault handles (whose close() may throw InterruptedException, or
// which a block holds without naming) is how a benchmark scopes them
@SuppressWarnings("try")
public final class DiskBench {

    private static final Duration SLOW = Duration.ofMillis(50);
    private static final int WRITES = 40;
    private static final int TXNS = 400_000;
    private static final int BATCH = 100;

    private DiskBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        if (args.length == 2 && args[0].equals("--rounds")) {
            rounds = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: DiskBench [--rounds N]");
            System.exit(2);
        }
        JvmGlobals.install(); // zookeeper.forceSync=no and a 1 MiB preallocation, as every harness peer has
        JvmGlobals.awaitInstalled();
        latency();
        followerStall();
        storageOverhead(rounds);
        System.exit(0);
    }

    private static void latency() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = zk.newZooKeeper()) {
            medianMs(client, "/warm"); // warm-up
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            long none = medianMs(client, "/none");
            long slowLeader;
            try (Fault f = leader.disk().slowLog(SLOW, Duration.ZERO)) {
                slowLeader = medianMs(client, "/leader");
            }
            long slowFollower;
            try (Fault f = follower.disk().slowLog(SLOW, Duration.ZERO)) {
                slowFollower = medianMs(client, "/follower");
            }
            long both;
            try (Fault f = leader.disk().slowLog(SLOW, Duration.ZERO);
                    Fault g = follower.disk().slowLog(SLOW, Duration.ZERO)) {
                both = medianMs(client, "/both");
            }
            System.out.println("scenario=disk_write_latency delay_ms=" + SLOW.toMillis() + " writes=" + WRITES
                    + " none_ms=" + none + " slow_leader_log_ms=" + slowLeader + " slow_follower_log_ms=" + slowFollower
                    + " slow_leader_and_follower_logs_ms=" + both);
        }
    }

    private static long medianMs(ZooKeeper client, String prefix) throws Exception {
        long[] us = new long[WRITES];
        for (int i = 0; i < WRITES; i++) {
            long start = System.nanoTime();
            client.create(prefix + i, new byte[32], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            us[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(us);
        return Math.round(us[WRITES / 2] / 1000.0);
    }

    private static void followerStall() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = zk.newZooKeeper(zk.leader().connectString())) {
            ZkNode follower = zk.followers().get(0);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Long> latencies = new CopyOnWriteArrayList<>();
            Thread writer = new Thread(
                    () -> {
                        for (int i = 0; writing.get(); i++) {
                            try {
                                long start = System.nanoTime();
                                client.create(
                                        "/load" + i, new byte[32], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                                latencies.add((System.nanoTime() - start) / 1_000_000);
                                Thread.sleep(20);
                            } catch (Exception e) {
                                return;
                            }
                        }
                    },
                    "disk-bench-writer");
            writer.start();
            long start = System.nanoTime();
            Fault stall = follower.disk().slowLog(Duration.ofSeconds(60), Duration.ZERO);
            long bound = start + Duration.ofSeconds(15).toNanos();
            while (follower.isServing() && System.nanoTime() < bound) {
                Thread.sleep(10);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean dropped = !follower.isServing();
            writing.set(false);
            writer.join(5_000);
            long[] sorted =
                    latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            stall.heal();
            System.out.println("scenario=disk_follower_stall_drop tick_ms=100 sync_limit=5 dropped=" + dropped
                    + (dropped ? " after_ms=" + ms : " within_ms=" + ms) + " writes_meanwhile=" + sorted.length
                    + " write_median_ms=" + (sorted.length == 0 ? "n/a" : sorted[sorted.length / 2])
                    + " follower_role=" + follower.role() + " follower_serving=" + follower.isServing());
        }
    }

    private static void storageOverhead(int rounds) throws Exception {
        Path dir = Files.createTempDirectory("zk-harness-disk-bench-");
        try {
            List<Double> plain = new ArrayList<>();
            List<Double> layered = new ArrayList<>();
            appendsPerSecond(dir, false); // warm-up, both
            appendsPerSecond(dir, true);
            for (int r = 0; r < rounds; r++) {
                plain.add(appendsPerSecond(dir, false));
                layered.add(appendsPerSecond(dir, true));
            }
            double without = median(plain);
            double with = median(layered);
            System.out.println(String.format(
                    Locale.ROOT,
                    "scenario=disk_storage_overhead txns=%d flush_every=%d"
                            + " rounds=%d without_per_s=%.0f with_per_s=%.0f ratio=%.3f",
                    TXNS,
                    BATCH,
                    rounds,
                    without,
                    with,
                    with / without));
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    private static double appendsPerSecond(Path base, boolean layered) throws Exception {
        File dir =
                Files.createTempDirectory(base, layered ? "layered-" : "plain-").toFile();
        FileTxnSnapLog storage = layered ? new NodeStorage(dir, dir, new DiskState(1)) : new FileTxnSnapLog(dir, dir);
        CreateTxn txn = new CreateTxn("/bench", new byte[64], ZooDefs.Ids.OPEN_ACL_UNSAFE, false, 1);
        long start = System.nanoTime();
        for (int i = 1; i <= TXNS; i++) {
            TxnHeader header = new TxnHeader(1, i, i, i, ZooDefs.OpCode.create);
            storage.append(new Request(1, i, ZooDefs.OpCode.create, header, txn, i));
            if (i % BATCH == 0) {
                storage.commit();
            }
        }
        storage.commit();
        double perSecond = TXNS / ((System.nanoTime() - start) / 1e9);
        storage.close();
        FileUtils.deleteDirectory(dir);
        return perSecond;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
