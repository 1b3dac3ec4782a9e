package io.github.zkharness.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checks;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkRegisterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/** {@code chaos_30s_checked}: a chaos run with recording clients, end to end including the checks (see CheckBench). */
// try-with-resources on ZooKeeper clients and fault handles (whose close() may throw InterruptedException, or
// which a block holds without naming) is how a benchmark scopes them
@SuppressWarnings("try")
final class ChaosBench {

    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");
    private static final long SEED = 42;

    private ChaosBench() {}

    static boolean chaosChecked(Duration length) throws Exception {
        History history = new History();
        long t0 = System.nanoTime();
        long tStarted;
        long tChaosEnd;
        long tClosed;
        long tRead;
        CheckResult result;
        int steps;
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            tStarted = System.nanoTime();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> processes = new ArrayList<>();
            ChaosRun run = ChaosSchedule.of(zk).seed(SEED).history(history).start();
            try {
                for (int p = 1; p <= 3; p++) {
                    int process = p;
                    Thread t =
                            new Thread(() -> work(zk.connectString(), history, process, running), "bench-process-" + p);
                    t.start();
                    processes.add(t);
                }
                zk.await(
                        "the chaos run's " + length.toSeconds() + " s",
                        length.plusSeconds(5),
                        () -> System.nanoTime() - tStarted >= length.toNanos());
                tChaosEnd = System.nanoTime();
            } finally {
                running.set(false);
                for (Thread t : processes) {
                    t.join(30_000);
                }
                run.close();
            }
            steps = run.steps().size();
            tClosed = System.nanoTime();
            Map<String, Map<String, String>> contents = new TreeMap<>();
            for (ZkNode node : zk.nodes()) {
                contents.put("node-" + node.id(), contents(node));
            }
            tRead = System.nanoTime();
            result = Checks.all(ZooKeeperConsistency.of(), Durability.of(contents))
                    .check(history);
        }
        long tChecked = System.nanoTime();
        List<Operation> ops = history.operations();
        long ok = ops.stream().filter(o -> o.outcome() == Outcome.OK).count();
        long unknown = ops.stream().filter(o -> o.outcome() == Outcome.UNKNOWN).count();
        System.out.printf(
                Locale.ROOT,
                "scenario=chaos_30s_checked harness_ms=%d start_ms=%d chaos_ms=%d close_ms=%d"
                        + " read_ms=%d check_ms=%d runs=1 seed=%d steps=%d operations=%d ok=%d unknown=%d verdict=%s%n",
                ms(tChecked - t0),
                ms(tStarted - t0),
                ms(tChaosEnd - tStarted),
                ms(tClosed - tChaosEnd),
                ms(tRead - tClosed),
                ms(tChecked - tRead),
                SEED,
                steps,
                ops.size(),
                ok,
                unknown,
                result.verdict());
        if (!result.isValid()) {
            System.err.println("chaos_30s_checked: " + result);
        }
        return result.isValid();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** One process: writes, reads and compare-and-sets on the keys, one at a time. */
    private static void work(String connectString, History history, int process, AtomicBoolean running) {
        Random random = new Random(process);
        try (ZooKeeper client = new ZooKeeper(connectString, 5_000, event -> {})) {
            ZkRegisterClient register = new ZkRegisterClient(client, process, history, "/register");
            String seen = null;
            for (int i = 0; running.get(); i++) {
                String key = KEYS.get(random.nextInt(KEYS.size()));
                Operation op = switch (random.nextInt(3)) {
                    case 0 -> register.write(key, process + "-" + i);
                    case 1 -> register.read(key);
                    default -> register.cas(key, seen, process + "-" + i);
                };
                if (op.kind().isRead() && op.outcome() == Outcome.OK) {
                    seen = op.result();
                }
                if (op.outcome() != Outcome.OK && !op.kind().equals(OpKind.CAS)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // nothing serves: no busy loop
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> contents(ZkNode node) throws Exception {
        Map<String, String> contents = new TreeMap<>();
        try (ZooKeeper client = node.newZooKeeper()) {
            CountDownLatch synced = new CountDownLatch(1);
            client.sync("/register", (rc, path, ctx) -> synced.countDown(), null);
            if (!synced.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node " + node.id() + " did not answer a sync within 10 s");
            }
            for (String key : KEYS) {
                try {
                    contents.put(key, new String(client.getData("/register/" + key, false, null), UTF_8));
                } catch (KeeperException.NoNodeException absent) {
                    // never written
                }
            }
        }
        return contents;
    }
}
