package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search engine's own parts on partitions longer than one word of the placed set (the differential tests' histories
 * have at most 8 operations): the placed set's all-ones prefix and zero suffix, the memo's exactness when hashes
 * collide, and long histories on one key.
 */
class PartitionSearchTests {

    @Test
    void thePlacedSetKnowsItsAllOnesPrefixAndItsZeroSuffix() {
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(400);
            PartitionSearch.PlacedSet placed = new PartitionSearch.PlacedSet(n);
            BitSet reference = new BitSet(n);
            for (int i = 0; i < 2_000; i++) {
                // mostly the lowest bits, as a search places operations mostly in invocation order
                int b = random.nextInt(4) == 0 ? random.nextInt(n) : Math.min(n - 1, reference.nextClearBit(0));
                if (random.nextInt(3) == 0 && reference.get(b)) {
                    placed.clear(b);
                    reference.clear(b);
                } else if (!reference.get(b)) {
                    placed.set(b);
                    reference.set(b);
                }
                assertThat(BitSet.valueOf(placed.words)).isEqualTo(reference);
                int full = 0;
                while (full < placed.words.length && placed.words[full] == -1L) {
                    full++;
                }
                int end = placed.words.length;
                while (end > full && placed.words[end - 1] == 0) {
                    end--;
                }
                assertThat(placed.full).as("all-ones words of %s", reference).isEqualTo(full);
                assertThat(placed.end)
                        .as("end of the non-zero words of %s", reference)
                        .isEqualTo(end);
            }
        }
    }

    @Test
    void theMemoComparesSetsAndStatesExactlyWhateverTheirHashes() {
        SplittableRandom random = new SplittableRandom(2);
        int n = 200;
        PartitionSearch.Memo memo = new PartitionSearch.Memo(4);
        PartitionSearch.PlacedSet placed = new PartitionSearch.PlacedSet(n);
        BitSet bits = new BitSet(n);
        record Pair(BitSet placed, String state) {}
        Set<Pair> reference = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            int b = random.nextInt(n);
            if (bits.get(b)) {
                placed.clear(b);
                bits.clear(b);
            } else {
                placed.set(b);
                bits.set(b);
            }
            String state = "s" + random.nextInt(3);
            // a hash that collides on purpose (every set of the same size alike): only exact equality may match
            long hash = bits.cardinality();
            boolean added = memo.add(placed, hash, state);
            assertThat(added)
                    .as("added %s %s", bits, state)
                    .isEqualTo(reference.add(new Pair((BitSet) bits.clone(), state)));
        }
        assertThat(reference).hasSizeGreaterThan(1_000);
    }

    @Test
    void longHistoriesOnOneKeyAreLinearizableAndAStaleReadInThemIsFound() {
        Linearizability<RegisterModel.Value> checker =
                Linearizability.register().timeLimit(Duration.ofSeconds(60));
        for (long seed = 1; seed <= 4; seed++) {
            List<Operation> history = history(800, 4, seed, 3);
            CheckResult valid = checker.check(history);
            assertThat(valid.verdict()).as("seed %s: %s", seed, valid).isEqualTo(Verdict.VALID);
            long ok = history.stream().filter(o -> o.outcome() == Outcome.OK).count();
            assertThat((long) valid.linearization().get("k").size()).isGreaterThanOrEqualTo(ok);

            // without UNKNOWN writes, which may take effect anywhere after their invocation: with them, proving a long
            // history illegal can take any search very long
            CheckResult invalid = checker.check(withStaleRead(history(800, 4, seed, 0)));
            assertThat(invalid.verdict()).as("seed %s: %s", seed, invalid).isEqualTo(Verdict.INVALID);
            assertThat(invalid.counterexample()).isNotEmpty();
        }
    }

    /**
     * A linearizable history on one key: each process runs one operation at a time, each takes effect at a random
     * point of its interval; about {@code unknownPercent} of writes are UNKNOWN and half of those never take effect.
     */
    private static List<Operation> history(int count, int processes, long seed, int unknownPercent) {
        SplittableRandom random = new SplittableRandom(seed);
        record Plan(int id, int process, OpKind kind, long invoke, long point, long complete, boolean unknown) {}
        List<Plan> plans = new ArrayList<>();
        long[] clock = new long[processes];
        for (int i = 0; i < count; i++) {
            int p = i % processes;
            long invoke = clock[p] + random.nextLong(1_000, 20_000);
            long complete = invoke + random.nextLong(20_000, 400_000);
            OpKind kind = random.nextInt(100) < 50 ? OpKind.READ : OpKind.WRITE;
            boolean unknown = kind.equals(OpKind.WRITE) && random.nextInt(100) < unknownPercent;
            long point = unknown && random.nextBoolean() ? Long.MAX_VALUE : random.nextLong(invoke, complete + 1);
            plans.add(new Plan(i, p, kind, invoke, point, complete, unknown));
            clock[p] = complete;
        }
        List<Plan> byPoint = new ArrayList<>(plans);
        byPoint.sort(Comparator.comparingLong(Plan::point));
        Operation[] ops = new Operation[count];
        String current = null;
        for (Plan pl : byPoint) {
            if (pl.kind().equals(OpKind.READ)) {
                ops[pl.id()] = new Operation(
                        pl.id(),
                        pl.process(),
                        OpKind.READ,
                        "k",
                        null,
                        null,
                        Outcome.OK,
                        current,
                        null,
                        pl.invoke(),
                        pl.complete());
            } else {
                String value = "v" + pl.id();
                if (pl.point() != Long.MAX_VALUE) {
                    current = value;
                }
                ops[pl.id()] = new Operation(
                        pl.id(),
                        pl.process(),
                        OpKind.WRITE,
                        "k",
                        value,
                        null,
                        pl.unknown() ? Outcome.UNKNOWN : Outcome.OK,
                        null,
                        pl.unknown() ? "ConnectionLoss" : null,
                        pl.invoke(),
                        pl.complete());
            }
        }
        return List.of(ops);
    }

    /** The history with a read in its second half changed to return a value overwritten before it was invoked. */
    private static List<Operation> withStaleRead(List<Operation> history) {
        List<Operation> ops = new ArrayList<>(history);
        for (int i = ops.size() / 2; i < ops.size(); i++) {
            Operation r = ops.get(i);
            if (!r.kind().equals(OpKind.READ)) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                Operation w = ops.get(j);
                if (w.kind().equals(OpKind.WRITE)
                        && w.outcome() == Outcome.OK
                        && w.completeNanos() < r.invokeNanos()
                        && !w.value().equals(r.result())) {
                    // a later OK write completed before the read was invoked, so the read is stale
                    boolean overwritten = false;
                    for (int k = j + 1; k < i; k++) {
                        Operation later = ops.get(k);
                        overwritten |= later.kind().equals(OpKind.WRITE)
                                && later.outcome() == Outcome.OK
                                && later.invokeNanos() > w.completeNanos()
                                && later.completeNanos() < r.invokeNanos();
                    }
                    if (overwritten) {
                        ops.set(
                                i,
                                new Operation(
                                        r.id(),
                                        r.process(),
                                        OpKind.READ,
                                        "k",
                                        null,
                                        null,
                                        Outcome.OK,
                                        w.value(),
                                        null,
                                        r.invokeNanos(),
                                        r.completeNanos()));
                        return ops;
                    }
                }
            }
        }
        throw new IllegalStateException("no read to make stale");
    }
}
