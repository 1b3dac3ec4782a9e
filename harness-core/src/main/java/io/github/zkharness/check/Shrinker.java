package io.github.zkharness.check;

import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shrinks an illegal partition to a minimal counterexample: a set of its operations that cannot be linearized even
 * when every other operation of the partition is <em>relaxed</em>, that is may have taken effect at any time after its
 * invocation or not at all (an UNKNOWN operation; a relaxed read-only operation is left out, as an UNKNOWN read is).
 * Relaxing an operation only adds orders, so such a set is a counterexample whatever the others did; it is minimal
 * when relaxing any one more of its operations makes the partition linearizable.
 *
 * <p>First the operations invoked after the latest completion at which the search was stuck are left out (the search
 * never looked at them, so it decides the same without them); then delta debugging (Zeller's ddmin, complements
 * only): relax a chunk of the remaining set, keep it relaxed if the partition is still illegal, halve the chunks when
 * none can be relaxed, down to single operations. Every test is a search with a step cap; a test that runs out of it
 * counts as "needed", so the result is always a proven counterexample and is proven minimal only if the last round's
 * every test was decided.
 *
 * @param <S> the model's state type
 */
final class Shrinker<S> {

    /** Steps one test may take. */
    static final long STEPS_PER_TEST = 200_000;

    /** What shrinking found: the operations, and whether relaxing any one of them was shown to make it legal. */
    record Core(List<Operation> ops, boolean minimal, int tests) {}

    private final Model<S> model;
    private final long deadline;
    private int tests;

    Shrinker(Model<S> model, long deadline) {
        this.model = model;
        this.deadline = deadline;
    }

    /**
     * Shrinks {@code ops} (an illegal partition, in any order).
     *
     * @param ops the partition's operations
     * @param furthestStuckNanos {@link PartitionSearch#furthestStuckNanos} of the search that found it illegal
     * @return the core
     */
    Core shrink(List<Operation> ops, long furthestStuckNanos) {
        List<Operation> all = new ArrayList<>();
        for (Operation op : ops) {
            if (op.invokeNanos() <= furthestStuckNanos) {
                all.add(op);
            }
        }
        all.sort((a, b) -> a.invokeNanos() != b.invokeNanos()
                ? Long.compare(a.invokeNanos(), b.invokeNanos())
                : Long.compare(a.id(), b.id()));
        // operations already UNKNOWN are relaxed as they are: they never belong to the core
        List<Operation> core = new ArrayList<>();
        for (Operation op : all) {
            if (op.outcome() != Outcome.UNKNOWN) {
                core.add(op);
            }
        }
        int n = 2;
        boolean minimal = false;
        while (core.size() >= 2 && System.nanoTime() - deadline < 0) {
            int chunks = Math.min(n, core.size());
            boolean relaxed = false;
            boolean allDecided = true;
            for (int c = 0; c < chunks && !relaxed; c++) {
                int from = c * core.size() / chunks;
                int to = (c + 1) * core.size() / chunks;
                List<Operation> kept = new ArrayList<>(core.subList(0, from));
                kept.addAll(core.subList(to, core.size()));
                PartitionSearch.State s = test(all, kept);
                if (s == PartitionSearch.State.INVALID) {
                    core = kept;
                    n = Math.max(chunks - 1, 2);
                    relaxed = true;
                } else if (s == PartitionSearch.State.PAUSED) {
                    allDecided = false;
                }
            }
            if (!relaxed) {
                if (chunks >= core.size()) {
                    minimal = allDecided && System.nanoTime() - deadline < 0;
                    break;
                }
                n = Math.min(2 * chunks, core.size());
            }
        }
        if (core.size() == 1) {
            // one operation alone cannot be linearized (whatever the others did): relaxing it leaves nothing to fail
            minimal = test(all, List.of()) == PartitionSearch.State.VALID;
        }
        return new Core(List.copyOf(core), minimal, tests);
    }

    /** The partition with every operation of {@code all} but {@code kept} relaxed: legal, illegal, or undecided. */
    private PartitionSearch.State test(List<Operation> all, List<Operation> kept) {
        tests++;
        Set<Operation> keep = new HashSet<>(kept);
        List<Operation> ops = new ArrayList<>(all.size());
        for (Operation op : all) {
            if (keep.contains(op)) {
                ops.add(op);
            } else if (!model.isReadOnly(op)) {
                ops.add(relaxed(op));
            }
        }
        return new PartitionSearch<>(model, ops).run(STEPS_PER_TEST, deadline, () -> false);
    }

    private static Operation relaxed(Operation op) {
        if (op.outcome() == Outcome.UNKNOWN) {
            return op;
        }
        return new Operation(
                op.id(),
                op.process(),
                op.kind(),
                op.key(),
                op.value(),
                op.expected(),
                Outcome.UNKNOWN,
                null,
                "relaxed",
                op.invokeNanos(),
                op.completeNanos());
    }
}
