package io.github.zkharness.bench;

import io.github.zkharness.ZkEnsemble;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * A secured ensemble next to a plain one in the same JVM, the two alternating run by run: {@code ready3} (from
 * nothing to the first acknowledged write of a client, three voters) with {@code tls(true)} and without, and the time
 * the start spends generating the ensemble's TLS material (its quorum CA, trust stores and client certificate; each
 * node's own certificate is made as its peer starts, inside {@code peers_started}). Prints
 * {@code scenario=<name> harness_ms=<median> harness_min=.. harness_max=.. runs=N} for {@code ready3_plain},
 * {@code ready3_tls} and {@code tls_material}, then {@code ratio ready3_tls/ready3_plain=<ratio of the medians>}.
 * The first {@code --warmup K} rounds (default 1) warm both up and are not counted: the JIT compiles the TLS code
 * paths (the JDK's handshake, certificate checks and elliptic-curve arithmetic) only after some dozens of starts, so a
 * secured start costs less relative to a plain one after about 20 of them ({@code --warmup 20}) than in the first
 * ten. With {@code --phases} (or {@code -Dzk.bench.phases=1}), each start's
 * phases are printed as it ends, before those lines, one line per start ({@code plain|tls <phase>=<ms> ... total=<ms>}).
 * Run: {@code bin/zk-bench --tls [--rounds N] [--warmup K] [--phases]} (default 10 rounds; a bare number is taken as
 * the rounds).
 */
public final class TlsBench {

    private TlsBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 10;
        int warmUp = 1;
        boolean phases = System.getProperty("zk.bench.phases") != null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--warmup") && i + 1 < args.length) {
                warmUp = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--phases")) {
                phases = true;
            } else if (args[i].matches("\\d+")) {
                rounds = Integer.parseInt(args[i]);
            } else {
                System.err.println("usage: zk-bench --tls [--rounds N] [--warmup K] [--phases]");
                System.exit(2);
            }
        }
        if (rounds < 1) {
            System.err.println("--rounds must be at least 1, got " + rounds);
            System.exit(2);
        }
        if (warmUp < 1) {
            System.err.println(
                    "--warmup must be at least 1 (the first start of a JVM loads every class), got " + warmUp);
            System.exit(2);
        }
        StartMarks.install();
        List<Long> plain = new ArrayList<>();
        List<Long> secured = new ArrayList<>();
        List<Long> material = new ArrayList<>();
        for (int i = 1 - warmUp; i <= rounds; i++) { // rounds up to 0 warm both up
            boolean tlsFirst = Math.floorMod(i, 2) == 1;
            for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                StartMarks.clear();
                long nanos = ready3(tls);
                if (phases) {
                    Map<String, Long> at = StartMarks.lastMarks();
                    Long prev = null;
                    StringBuilder line = new StringBuilder(tls ? "tls  " : "plain");
                    for (Map.Entry<String, Long> e : at.entrySet()) {
                        if (prev != null) {
                            line.append(' ').append(e.getKey()).append('=').append((e.getValue() - prev) / 1_000_000);
                        }
                        prev = e.getValue();
                    }
                    System.out.println(line + " total=" + nanos / 1_000_000);
                }
                if (i <= 0) {
                    continue;
                }
                (tls ? secured : plain).add(nanos);
                if (tls) {
                    Map<String, Long> at = StartMarks.lastMarks();
                    material.add(at.get("tls") - at.get("directories"));
                }
            }
        }
        print("ready3_plain", plain);
        print("ready3_tls", secured);
        print("tls_material", material);
        System.out.printf(
                Locale.ROOT, "ratio ready3_tls/ready3_plain=%.2f%n", median(sorted(secured)) / median(sorted(plain)));
    }

    private static long ready3(boolean tls) throws Exception {
        long start = System.nanoTime();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).tls(tls).start()) {
            ZKClientConfig config = tls ? zk.tls().clientConfig() : null;
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper client = new ZooKeeper(
                    zk.connectString(),
                    10_000,
                    e -> {
                        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                            connected.countDown();
                        }
                    },
                    config);
            try {
                if (!connected.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no connection within 30 s: " + zk.describe());
                }
                client.create("/first", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return System.nanoTime() - start;
            } finally {
                client.close();
            }
        }
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }

    private static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static void print(String scenario, List<Long> nanos) {
        List<Long> s = sorted(nanos);
        System.out.printf(
                Locale.ROOT,
                "scenario=%s harness_ms=%.1f harness_min=%.1f harness_max=%.1f runs=%d%n",
                scenario,
                median(s) / 1e6,
                s.get(0) / 1e6,
                s.get(s.size() - 1) / 1e6,
                s.size());
    }
}
