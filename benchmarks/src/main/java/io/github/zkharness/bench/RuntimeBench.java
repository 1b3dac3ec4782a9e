package io.github.zkharness.bench;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkRuntime;
import io.github.zkharness.ZkVersion;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The runtimes side by side, zk-harness only: {@code bin/zk-bench --runtimes [--rounds N]}.
 *
 * <ul>
 *   <li>{@code runtime_ready3}: build and start a 3-voter ensemble until it serves, on the shared runtime and on the
 *       isolated one (each node's ZooKeeper in a class loader of its own), alternating run by run in one JVM; the
 *       ratio isolated/shared (goal: at most 2).</li>
 *   <li>{@code metaspace_per_isolated_node}: metaspace in use (after a GC) with a running isolated 3-voter ensemble,
 *       minus before it was built (once the loaders of the runs before were collected), divided by 3; and after it
 *       closed, once its own were.</li>
 *   <li>{@code upgrade_step}: one follower's {@code upgrade(3.9.5)} on a 3-voter ensemble of 3.8.6 until the node and
 *       the ensemble serve again.</li>
 *   <li>{@code mixed_ready3}: start until serving of 3 voters, two on 3.8.6 and one on 3.9.5.</li>
 * </ul>
 * The 3.8.6 scenarios need ZooKeeper 3.8.6 in the local Maven repository; without it they print the command that
 * fetches it and are left out. Prints {@code scenario=<name> harness_ms=<median> ...} lines like the rest of zk-bench.
 */
public final class RuntimeBench {

    private RuntimeBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: zk-bench --runtimes [--rounds N]");
                System.exit(2);
            }
        }
        if (rounds < 1) {
            System.err.println("--rounds must be at least 1, got " + rounds);
            System.exit(2);
        }
        List<Long> shared = new ArrayList<>();
        List<Long> isolated = new ArrayList<>();
        for (int i = 0; i <= rounds; i++) { // round 0 warms up both
            long s = ready3(() -> ZkEnsemble.builder().voters(3).runtime(ZkRuntime.SHARED));
            long o = ready3(() -> ZkEnsemble.builder().voters(3).runtime(ZkRuntime.ISOLATED));
            if (i > 0) {
                shared.add(s);
                isolated.add(o);
            }
        }
        double sharedMs = median(shared) / 1e6;
        double isolatedMs = median(isolated) / 1e6;
        System.out.printf(
                Locale.ROOT,
                "scenario=runtime_ready3 shared_ms=%.1f isolated_ms=%.1f ratio=%.2f shared_min=%.1f shared_max=%.1f"
                        + " isolated_min=%.1f isolated_max=%.1f runs=%d%n",
                sharedMs,
                isolatedMs,
                isolatedMs / sharedMs,
                min(shared) / 1e6,
                max(shared) / 1e6,
                min(isolated) / 1e6,
                max(isolated) / 1e6,
                rounds);
        metaspace();
        ZkVersion v386;
        ZkVersion v395;
        try {
            v386 = ZkVersion.of("3.8.6");
            v395 = ZkVersion.of("3.9.5");
            ZkEnsemble.builder().voters(1).version(v386).build().close(); // fails now if its jars are missing
        } catch (IllegalStateException e) {
            System.out.println("# upgrade_step and mixed_ready3 left out: " + e.getMessage());
            return;
        }
        List<Long> upgrade = new ArrayList<>();
        List<Long> mixed = new ArrayList<>();
        for (int i = 0; i <= rounds; i++) {
            try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).version(v386).start()) {
                ZkNode follower = zk.followers().get(0);
                long t0 = System.nanoTime();
                follower.upgrade(v395).awaitServing();
                zk.awaitServing();
                long step = System.nanoTime() - t0;
                if (i > 0) {
                    upgrade.add(step);
                }
            }
            long m = ready3(() -> ZkEnsemble.builder().voters(3).version(v386).version(3, v395));
            if (i > 0) {
                mixed.add(m);
            }
        }
        print("upgrade_step", upgrade);
        print("mixed_ready3", mixed);
    }

    /** Build and start until serving; closes it afterwards (not counted). */
    private static long ready3(Supplier<ZkEnsemble.Builder> builder) {
        long t0 = System.nanoTime();
        ZkEnsemble zk = builder.get().start();
        long took = System.nanoTime() - t0;
        zk.close();
        return took;
    }

    private static void metaspace() throws InterruptedException {
        long before = settledMetaspace(); // the loaders of the runs before are collected over some seconds
        long running;
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).runtime(ZkRuntime.ISOLATED).start()) {
            running = metaspaceAfterGc();
            zk.awaitServing();
        }
        long after = settledMetaspace();
        System.out.printf(
                Locale.ROOT,
                "scenario=metaspace_per_isolated_node mb=%.2f after_close_mb=%.2f%n",
                (running - before) / 3.0 / (1024 * 1024),
                (after - before) / (1024.0 * 1024));
    }

    /**
     * Metaspace after a GC, once it stops shrinking: the class loaders of closed ensembles become unreachable over a
     * few seconds (their last threads end, soft references are cleared), and measuring before they are collected
     * counted them as the running ensemble's (0 MB or less per node). At most 20 s.
     */
    private static long settledMetaspace() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = metaspaceAfterGc();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = metaspaceAfterGc();
            if (last - now < 64 * 1024) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static long metaspaceAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                used = pool.getUsage().getUsed();
            }
        }
        return used;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static long min(List<Long> values) {
        return Collections.min(values);
    }

    private static long max(List<Long> values) {
        return Collections.max(values);
    }

    private static void print(String scenario, List<Long> nanos) {
        System.out.printf(
                Locale.ROOT,
                "scenario=%s harness_ms=%.1f harness_min=%.1f harness_max=%.1f runs=%d%n",
                scenario,
                median(nanos) / 1e6,
                min(nanos) / 1e6,
                max(nanos) / 1e6,
                nanos.size());
    }
}
