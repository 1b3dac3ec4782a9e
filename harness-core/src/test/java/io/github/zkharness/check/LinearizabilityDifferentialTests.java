package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against {@link BruteForce} on thousands of random small histories (1 to 8 operations, 1 to 3 processes,
 * 1 or 2 keys, reads, writes and CAS; OK, FAIL, UNKNOWN after a timeout and UNKNOWN never completed; times on a coarse
 * grid so that operations often touch), for every model: the verdicts must agree, and every INVALID one's
 * counterexample must be one by brute force (not linearizable whichever other operations did not happen) and, when it
 * says it is minimal, be minimal by brute force (if any one of its operations did not happen either, the history is
 * linearizable).
 *
 * <p>Seeded: history {@code i} of a model comes from seed {@code BASE + i}; a failure names the seed and the history.
 * {@code -Dzkharness.differential.seed=N} changes BASE.
 */
class LinearizabilityDifferentialTests {

    private static final long BASE = Long.getLong("zkharness.differential.seed", 20_240_611L);
    private static final int HISTORIES = 2_000;

    private static final Predicate<Operation> EVERY = op -> true;
    private static final Predicate<Operation> WRITES =
            op -> op.kind().equals(OpKind.WRITE) || op.kind().equals(OpKind.CAS);

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("register", RegisterModel.absentInitially(), EVERY),
                Arguments.of("register starting with \"1\"", RegisterModel.startingWith("1"), EVERY),
                Arguments.of(
                        "register, writes only (as ZooKeeperConsistency)", RegisterModel.absentInitially(), WRITES),
                Arguments.of("whole store, one partition", new StoreModel(), EVERY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    <S> void theEngineAgreesWithBruteForce(String name, Model<S> model, Predicate<Operation> filter) {
        int invalid = 0;
        int minimal = 0;
        for (int i = 0; i < HISTORIES; i++) {
            long seed = BASE + i;
            List<Operation> history = generate(new SplittableRandom(seed));
            Linearizability<S> engine =
                    Linearizability.of(model).only(filter).threads(1 + i % 2).timeLimit(Duration.ofSeconds(20));
            CheckResult r = engine.check(history);
            boolean expected = BruteForce.linearizable(model, history, filter);
            String context = name + ", seed " + seed + " (rerun: -Dzkharness.differential.seed=" + seed + ")\n"
                    + describe(history) + "\nengine: " + r;
            assertThat(r.verdict()).as(context).isEqualTo(expected ? Verdict.VALID : Verdict.INVALID);
            if (expected) {
                continue;
            }
            invalid++;
            List<Operation> core = r.counterexample();
            assertThat(core).as(context).isNotEmpty();
            assertThat(BruteForce.linearizable(model, history, filter, allBut(history, core)))
                    .as("the counterexample is one (with every other operation optional): " + context)
                    .isFalse();
            if (r.explanation().contains("a minimal counterexample")) {
                minimal++;
                for (Operation op : core) {
                    List<Operation> fewer = new ArrayList<>(core);
                    fewer.remove(op);
                    assertThat(BruteForce.linearizable(model, history, filter, allBut(history, fewer)))
                            .as("without " + op.describe() + " too it is linearizable: " + context)
                            .isTrue();
                }
            }
        }
        System.out.printf(
                "%s: %d histories from seed %d, %d INVALID (%d counterexamples shown minimal)%n",
                name, HISTORIES, BASE, invalid, minimal);
        // the generator makes both verdicts (at least 4% INVALID), and small counterexamples are shown minimal
        assertThat(invalid).isBetween(HISTORIES / 25, HISTORIES * 3 / 5);
        assertThat(minimal).isEqualTo(invalid);
    }

    /** The ids of the operations not in {@code kept}. */
    static Set<Long> allBut(List<Operation> history, List<Operation> kept) {
        Set<Long> others = history.stream().map(Operation::id).collect(Collectors.toCollection(HashSet::new));
        kept.forEach(op -> others.remove(op.id()));
        return others;
    }

    /**
     * A small history: an execution of registers (each operation takes effect at a point inside its interval; an
     * UNKNOWN one later, or never), then, three times in four, one operation's result or expected value changed.
     */
    static List<Operation> generate(SplittableRandom random) {
        int count = 1 + random.nextInt(8);
        int processes = 1 + random.nextInt(3);
        int keys = 1 + random.nextInt(2);
        long[] clock = new long[processes];
        record Plan(int process, String key, OpKind kind, long invoke, long complete, long point, int fate) {}
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = random.nextInt(processes);
            long invoke = clock[p] + random.nextInt(3);
            long complete = invoke + random.nextInt(4);
            int dice = random.nextInt(10);
            OpKind kind = dice < 4 ? OpKind.READ : dice < 8 ? OpKind.WRITE : OpKind.CAS;
            int fate = random.nextInt(20); // 0-1 never completed, 2-4 timed out (unknown), 5 failed, else ok
            long point = invoke + (fate <= 4 ? random.nextInt(8) : random.nextInt((int) (complete - invoke) + 1));
            plans.add(new Plan(p, "k" + random.nextInt(keys), kind, invoke, complete, point, fate));
            clock[p] = fate <= 1 ? Long.MAX_VALUE / 4 : complete + 1; // a crashed process runs nothing more
        }
        plans.removeIf(pl -> pl.invoke() >= Long.MAX_VALUE / 8);
        List<Integer> byPoint = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            byPoint.add(i);
        }
        byPoint.sort((a, b) -> Long.compare(plans.get(a).point(), plans.get(b).point()));
        TreeMap<String, String> store = new TreeMap<>();
        Operation[] ops = new Operation[plans.size()];
        for (int i : byPoint) {
            Plan pl = plans.get(i);
            String current = store.get(pl.key());
            String value = pl.kind().isRead() ? null : String.valueOf(1 + random.nextInt(3));
            String expected = pl.kind().equals(OpKind.CAS)
                    ? (random.nextInt(3) == 0 ? String.valueOf(1 + random.nextInt(3)) : current)
                    : null;
            boolean takesEffect = pl.fate() > 5 || (pl.fate() <= 4 && random.nextBoolean());
            boolean casMatches = !pl.kind().equals(OpKind.CAS) || Objects.equals(expected, current);
            Outcome outcome =
                    pl.fate() <= 4 ? Outcome.UNKNOWN : pl.fate() == 5 || !casMatches ? Outcome.FAIL : Outcome.OK;
            if (takesEffect && casMatches && !pl.kind().isRead()) {
                store.put(pl.key(), value);
            }
            String result = pl.kind().isRead() && outcome == Outcome.OK ? current : null;
            long complete = pl.fate() <= 1 ? -1 : pl.complete();
            ops[i] = new Operation(
                    i,
                    pl.process(),
                    pl.kind(),
                    pl.key(),
                    value,
                    expected,
                    outcome,
                    result,
                    outcome == Outcome.OK ? null : "reason",
                    pl.invoke() * 1_000,
                    complete < 0 ? -1 : complete * 1_000);
        }
        List<Operation> history = new ArrayList<>(List.of(ops));
        if (!history.isEmpty() && random.nextInt(4) != 0) {
            int k = random.nextInt(history.size());
            Operation op = history.get(k);
            String other = random.nextInt(4) == 0 ? null : String.valueOf(1 + random.nextInt(3));
            history.set(
                    k,
                    new Operation(
                            op.id(),
                            op.process(),
                            op.kind(),
                            op.key(),
                            op.value(),
                            op.kind().equals(OpKind.CAS) ? other : op.expected(),
                            op.outcome(),
                            op.kind().isRead() && op.outcome() == Outcome.OK ? other : op.result(),
                            op.reason(),
                            op.invokeNanos(),
                            op.completeNanos()));
        }
        return history;
    }

    private static String describe(List<Operation> history) {
        StringBuilder s = new StringBuilder();
        for (Operation op : history) {
            s.append("  ").append(op.describe()).append('\n');
        }
        return s.toString();
    }
}
