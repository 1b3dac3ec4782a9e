package io.github.zkharness.bench;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Op;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * The checkers' own numbers, zk-harness only (no ensemble, no Curator): {@code bin/zk-bench --checks [--rounds N]}.
 *
 * <ul>
 *   <li>{@code check_linearizable_10k}: a seeded, concurrent, linearizable history of 10,000 register operations
 *       (read, write, CAS) over 10 keys from 5 processes, about 3% of writes UNKNOWN, checked with
 *       {@link Linearizability#register()}; the time to check it (target: under 5 s).</li>
 *   <li>{@code history_record_overhead}: nanoseconds per recorded operation (invoke + ok) on a {@link History},
 *       from 1 and from 2 threads at once (target: under 5 µs).</li>
 *   <li>{@code chaos_30s_checked}: end to end, a 3-voter ensemble started, 30 s of a seeded chaos run (seed 42, every
 *       kind) while 3 processes record register operations on 5 keys, the run closed (healed, every node serving),
 *       each node read, and the history checked with {@link ZooKeeperConsistency} and {@link Durability}; once, with
 *       the phases: {@code start_ms}, {@code chaos_ms} (the 30 s), {@code close_ms}, {@code read_ms},
 *       {@code check_ms}.</li>
 * </ul>
 * Prints {@code scenario=<name> harness_ms=<median> ...} lines like the rest of zk-bench.
 */
public final class CheckBench {

    private CheckBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: zk-bench --checks [--rounds N]");
                System.exit(2);
            }
        }
        if (rounds < 1) {
            System.err.println("--rounds must be at least 1, got " + rounds);
            System.exit(2);
        }
        boolean ok = checkLinearizable(rounds);
        recordOverhead(rounds, 1);
        recordOverhead(rounds, 2);
        ok &= ChaosBench.chaosChecked(Duration.ofSeconds(30));
        System.exit(ok ? 0 : 1);
    }

    private static boolean checkLinearizable(int rounds) {
        List<Operation> history = generate(10_000, 10, 5, 42);
        long unknown =
                history.stream().filter(o -> o.outcome() == Outcome.UNKNOWN).count();
        Linearizability<?> checker = Linearizability.register().timeLimit(Duration.ofSeconds(60));
        CheckResult warm = checker.check(history);
        Result result = new Result(
                "check_linearizable_10k",
                Result.Unit.MS,
                "10,000 register operations, 10 keys, 5 processes, checked",
                false);
        boolean valid = warm.verdict() == Verdict.VALID;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            CheckResult r = checker.check(history);
            result.harness.add(Run.of(System.nanoTime() - start));
            valid &= r.verdict() == Verdict.VALID;
        }
        System.out.println(
                result.line() + " verdict=" + warm.verdict() + " operations=" + history.size() + " unknown=" + unknown);
        if (!valid) {
            System.err.println("check_linearizable_10k: the generated history should be VALID: " + warm);
        }
        System.err.println("# " + warm.explanation());
        return valid;
    }

    /**
     * A linearizable history: each process runs one operation at a time, each operation takes effect at a random point
     * inside its interval (an UNKNOWN write possibly later, or never), and reads and CAS see the register as those
     * points order it.
     */
    static List<Operation> generate(int count, int keys, int processes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        record Plan(
                int process,
                String key,
                OpKind kind,
                long invoke,
                long point,
                long complete,
                boolean unknown,
                boolean applied) {}
        List<Plan> plans = new ArrayList<>();
        long[] clock = new long[processes];
        for (int i = 0; i < count; i++) {
            int p = i % processes;
            long invoke = clock[p] + random.nextLong(1_000, 20_000);
            long duration = random.nextLong(20_000, 400_000);
            long complete = invoke + duration;
            int dice = random.nextInt(100);
            OpKind kind = dice < 45 ? OpKind.READ : dice < 80 ? OpKind.WRITE : OpKind.CAS;
            boolean unknown = !kind.isRead() && random.nextInt(100) < 3;
            boolean applied = !unknown || random.nextBoolean();
            long point = unknown ? invoke + random.nextLong(1, 3 * duration) : invoke + random.nextLong(1, duration);
            plans.add(new Plan(p, "k" + random.nextInt(keys), kind, invoke, point, complete, unknown, applied));
            clock[p] = complete;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> plans.get(i).point()));
        Map<String, String> register = new HashMap<>();
        Operation[] ops = new Operation[plans.size()];
        int written = 0;
        for (int i : order) {
            Plan pl = plans.get(i);
            String current = register.get(pl.key());
            Operation op;
            if (pl.kind().isRead()) {
                op = new Operation(
                        i,
                        pl.process(),
                        OpKind.READ,
                        pl.key(),
                        null,
                        null,
                        Outcome.OK,
                        current,
                        null,
                        pl.invoke(),
                        pl.complete());
            } else if (pl.kind().equals(OpKind.WRITE)) {
                String value = "v" + (++written);
                if (pl.applied()) {
                    register.put(pl.key(), value);
                }
                op = new Operation(
                        i,
                        pl.process(),
                        OpKind.WRITE,
                        pl.key(),
                        value,
                        null,
                        pl.unknown() ? Outcome.UNKNOWN : Outcome.OK,
                        null,
                        pl.unknown() ? "ConnectionLoss" : null,
                        pl.invoke(),
                        pl.complete());
            } else {
                String value = "v" + (++written);
                // expect the current value most of the time, an older guess otherwise
                String expected = random.nextInt(100) < 70 ? current : "v" + Math.max(1, written - 3);
                boolean matches = Objects.equals(expected, current);
                if (matches && pl.applied()) {
                    register.put(pl.key(), value);
                }
                Outcome outcome = pl.unknown() ? Outcome.UNKNOWN : matches ? Outcome.OK : Outcome.FAIL;
                op = new Operation(
                        i,
                        pl.process(),
                        OpKind.CAS,
                        pl.key(),
                        value,
                        expected,
                        outcome,
                        null,
                        outcome == Outcome.OK ? null : outcome == Outcome.FAIL ? "BadVersion" : "ConnectionLoss",
                        pl.invoke(),
                        pl.complete());
            }
            ops[i] = op;
        }
        List<Operation> list = new ArrayList<>(List.of(ops));
        list.sort(Comparator.comparingLong(Operation::invokeNanos));
        return Collections.unmodifiableList(list);
    }

    /** ns per recorded operation (invoke + ok), {@code threads} threads recording into one history at once. */
    private static void recordOverhead(int rounds, int threads) throws Exception {
        int perThread = 200_000;
        record(threads, perThread); // warm-up
        List<Long> perOp = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            System.gc();
            perOp.add(record(threads, perThread));
        }
        Collections.sort(perOp);
        System.out.printf(
                Locale.ROOT,
                "scenario=history_record_overhead harness_ns_per_op=%d harness_min=%d"
                        + " harness_max=%d runs=%d threads=%d operations_per_thread=%d%n",
                perOp.get(perOp.size() / 2),
                perOp.get(0),
                perOp.get(perOp.size() - 1),
                rounds,
                threads,
                perThread);
    }

    /** Wall time of each thread's loop, per operation, averaged over the threads. */
    private static long record(int threads, int perThread) throws Exception {
        History history = new History();
        CountDownLatch go = new CountDownLatch(1);
        long[] nanos = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long start = System.nanoTime();
                for (int i = 0; i < perThread; i++) {
                    Op op = history.invoke(id, OpKind.WRITE, "k", "v");
                    op.ok();
                }
                nanos[id] = System.nanoTime() - start;
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (history.operations().size() != threads * perThread) {
            throw new IllegalStateException(
                    "lost operations: " + history.operations().size());
        }
        long sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return sum / threads / perThread;
    }
}
