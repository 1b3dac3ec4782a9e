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
import java.nio.file.Files;
import java.nio.file.Path;
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
 *   <li>{@code check_hard_key_invalid}: 2,000 register operations on 10 keys plus a key no budget decides (60
 *       concurrent writes and a read of a value none wrote) and a plainly stale read on another key: the time to
 *       INVALID.</li>
 *   <li>{@code check_whole_store_1k}: 1,000 operations on 10 keys from 10 processes checked as one state (a model that
 *       does not partition): the time to VALID.</li>
 *   <li>{@code check_minimize_10k}: the 10,000-operation history above with one read made stale: the time to INVALID
 *       with its minimal counterexample (the shrinking included).</li>
 *   <li>{@code check_single_register_2k}: as a Jepsen etcd test records it, one register (read, write, CAS) shared by
 *       10 processes, 2,000 operations, about 3% of writes UNKNOWN: the time to VALID of a history that does not
 *       partition.</li>
 * </ul>
 * {@code --no-chaos} leaves out {@code chaos_30s_checked}; {@code --only SCENARIO} runs that one of the {@code check_}
 * scenarios and nothing else; {@code --histories-only DIR} writes these histories to files for
 * {@code benchmarks/porcupine} and exits.
 * Prints {@code scenario=<name> harness_ms=<median> ...} lines like the rest of zk-bench.
 */
public final class CheckBench {

    /** The scenarios {@code --only} may name. */
    private static final List<String> SCENARIOS = List.of(
            "check_linearizable_10k",
            "check_hard_key_invalid",
            "check_whole_store_1k",
            "check_minimize_10k",
            "check_single_register_2k");

    private CheckBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        boolean chaos = true;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--no-chaos")) {
                chaos = false;
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = args[++i];
                if (!SCENARIOS.contains(only)) {
                    System.err.println("--only takes one of " + SCENARIOS + ", got " + only);
                    System.exit(2);
                }
            } else if (args[i].equals("--histories-only") && i + 1 < args.length) {
                writeHistories(Path.of(args[++i]), rounds);
                return;
            } else {
                System.err.println(
                        "usage: zk-bench --checks [--rounds N] [--no-chaos] [--only SCENARIO] [--histories-only DIR]");
                System.exit(2);
            }
        }
        if (rounds < 1) {
            System.err.println("--rounds must be at least 1, got " + rounds);
            System.exit(2);
        }
        boolean ok = true;
        if (only == null || only.equals("check_linearizable_10k")) {
            ok &= checkLinearizable(rounds);
        }
        if (only == null || only.equals("check_hard_key_invalid")) {
            ok &= checkHardKey(rounds);
        }
        if (only == null || only.equals("check_whole_store_1k")) {
            ok &= checkWholeStore(rounds);
        }
        if (only == null || only.equals("check_minimize_10k")) {
            ok &= checkMinimize(rounds);
        }
        if (only == null || only.equals("check_single_register_2k")) {
            ok &= checkSingleRegister(rounds);
        }
        if (only != null) {
            System.exit(ok ? 0 : 1);
        }
        recordOverhead(rounds, 1);
        recordOverhead(rounds, 2);
        if (chaos) {
            ok &= ChaosBench.chaosChecked(Duration.ofSeconds(30));
        }
        System.exit(ok ? 0 : 1);
    }

    /** A history with one hard key (sorted first) among 10, and a stale read on the last key. */
    static List<Operation> hardKeyHistory() {
        List<Operation> ops = new ArrayList<>(generate(2_000, 10, 5, 43));
        int id = ops.size();
        for (int i = 0; i < 60; i++) {
            ops.add(new Operation(
                    id++, 100 + i, OpKind.WRITE, "a-hard", "h" + i, null, Outcome.OK, null, null, 0, 1_000_000));
        }
        ops.add(new Operation(id++, 200, OpKind.READ, "a-hard", null, null, Outcome.OK, "never", null, 0, 1_000_000));
        ops.add(new Operation(id++, 201, OpKind.WRITE, "z", "1", null, Outcome.OK, null, null, 0, 10));
        ops.add(new Operation(id++, 201, OpKind.WRITE, "z", "2", null, Outcome.OK, null, null, 20, 30));
        ops.add(new Operation(id, 202, OpKind.READ, "z", null, null, Outcome.OK, "1", null, 40, 50));
        return ops;
    }

    /** {@link #generate} with one read of {@code count / 2} changed to return the value before the one it read. */
    static List<Operation> withStaleRead(List<Operation> history) {
        List<Operation> ops = new ArrayList<>(history);
        Map<String, String> previous = new HashMap<>();
        Map<String, String> last = new HashMap<>();
        List<Operation> byEnd = new ArrayList<>(ops);
        byEnd.sort(Comparator.comparingLong(Operation::completeNanos));
        for (Operation o : byEnd) {
            if (o.outcome() != Outcome.OK || o.kind().isRead()) {
                if (o.kind().isRead()
                        && o.invokeNanos() > history.get(history.size() / 2).invokeNanos()
                        && previous.get(o.key()) != null
                        && Objects.equals(last.get(o.key()), o.result())) {
                    Operation stale = new Operation(
                            o.id(),
                            o.process(),
                            o.kind(),
                            o.key(),
                            null,
                            null,
                            Outcome.OK,
                            previous.get(o.key()),
                            null,
                            o.invokeNanos(),
                            o.completeNanos());
                    ops.set(ops.indexOf(o), stale);
                    return ops;
                }
                continue;
            }
            previous.put(o.key(), last.get(o.key()));
            last.put(o.key(), o.value());
        }
        throw new IllegalStateException("no read to make stale");
    }

    private static boolean timed(
            String scenario,
            String what,
            int rounds,
            Linearizability<?> checker,
            List<Operation> history,
            Verdict want) {
        CheckResult warm = checker.check(history);
        Result result = new Result(scenario, Result.Unit.MS, what, false);
        boolean ok = warm.verdict() == want;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            CheckResult r = checker.check(history);
            result.harness.add(Run.of(System.nanoTime() - start));
            ok &= r.verdict() == want;
        }
        System.out.println(result.line() + " verdict=" + warm.verdict() + " operations=" + history.size()
                + (warm.verdict() == Verdict.INVALID
                        ? " counterexample=" + warm.counterexample().size()
                        : ""));
        if (!ok) {
            System.err.println(scenario + ": expected " + want + ": " + warm);
        }
        System.err.println("# " + warm.explanation());
        return ok;
    }

    private static boolean checkHardKey(int rounds) {
        return timed(
                "check_hard_key_invalid",
                "2,000 register operations on 10 keys, a key no budget decides, a stale read on another: to INVALID",
                rounds,
                Linearizability.register().timeLimit(Duration.ofSeconds(60)),
                hardKeyHistory(),
                Verdict.INVALID);
    }

    private static boolean checkWholeStore(int rounds) {
        return timed(
                "check_whole_store_1k",
                "1,000 operations on 10 keys from 10 processes as one whole-store state",
                rounds,
                Linearizability.of(new WholeStoreModel()).timeLimit(Duration.ofSeconds(60)),
                generate(1_000, 10, 10, 44),
                Verdict.VALID);
    }

    private static boolean checkSingleRegister(int rounds) {
        return timed(
                "check_single_register_2k",
                "2,000 operations on one register from 10 processes (etcd-style)",
                rounds,
                Linearizability.register().timeLimit(Duration.ofSeconds(60)),
                generate(2_000, 1, 10, 45),
                Verdict.VALID);
    }

    private static boolean checkMinimize(int rounds) {
        return timed(
                "check_minimize_10k",
                "10,000 register operations on 10 keys with one stale read: INVALID and its minimal counterexample",
                rounds,
                Linearizability.register().timeLimit(Duration.ofSeconds(60)),
                withStaleRead(generate(10_000, 10, 5, 42)),
                Verdict.INVALID);
    }

    /** Writes the histories the benchmarks check, for another checker (benchmarks/porcupine) to read. */
    private static void writeHistories(Path dir, int rounds) throws Exception {
        Files.createDirectories(dir);
        write(dir.resolve("perkey_10k.txt"), generate(10_000, 10, 5, 42));
        write(dir.resolve("hardkey.txt"), hardKeyHistory());
        write(dir.resolve("store_1k.txt"), generate(1_000, 10, 10, 44));
        write(dir.resolve("stale_10k.txt"), withStaleRead(generate(10_000, 10, 5, 42)));
        write(dir.resolve("register_2k.txt"), generate(2_000, 1, 10, 45));
        System.out.println("wrote 5 histories to " + dir);
    }

    /** One operation a line: process kind key value expected outcome result invokeNanos completeNanos; - for null. */
    private static void write(Path file, List<Operation> ops) throws Exception {
        StringBuilder s = new StringBuilder();
        for (Operation o : ops) {
            s.append(o.process())
                    .append(' ')
                    .append(o.kind().name())
                    .append(' ')
                    .append(o.key())
                    .append(' ')
                    .append(dash(o.value()))
                    .append(' ')
                    .append(dash(o.expected()))
                    .append(' ')
                    .append(o.outcome())
                    .append(' ')
                    .append(dash(o.result()))
                    .append(' ')
                    .append(o.invokeNanos())
                    .append(' ')
                    .append(o.completeNanos())
                    .append('\n');
        }
        Files.writeString(file, s);
    }

    private static String dash(String v) {
        return v == null ? "-" : v;
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
