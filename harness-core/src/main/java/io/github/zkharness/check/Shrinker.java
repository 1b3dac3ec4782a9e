package io.github.zkharness.check;

import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shrinks an illegal partition to a minimal counterexample: a set of its operations that cannot be linearized even
 * when every other operation of the partition is <em>optional</em>, that is either took effect within its interval, as
 * recorded, or did not happen at all (an UNKNOWN operation stays as it is: it may take effect at any time after its
 * invocation, or never). Making an operation optional only adds orders, so such a set is a counterexample whichever of
 * the others happened; it is minimal when making any one more of its operations optional makes the partition
 * linearizable. (Letting the others take effect at any later time instead, as UNKNOWN ones do, would make the search
 * exponential in their number.)
 *
 * <p>The operations invoked after the latest completion at which the search was stuck are optional from the start (the
 * search never looked at them, so it decides the same with them optional); then delta debugging (Zeller's ddmin, complements
 * only): make a chunk of the remaining set optional, keep it so if the partition is still illegal, halve the chunks when
 * none can be made optional, down to single operations. Every test is a search with a step cap; a test that runs out of it
 * counts as "needed", so the result is always a proven counterexample and is proven minimal only if the last round's
 * every test was decided.
 *
 * @param <S> the model's state type
 */
final class Shrinker<S> {

    /** Steps one test may take. */
    static final long STEPS_PER_TEST = 200_000;

    /** What shrinking found: the operations, and whether making any one of them optional was shown to make it legal. */
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
        List<Operation> all = new ArrayList<>(ops);
        all.sort((a, b) -> a.invokeNanos() != b.invokeNanos()
                ? Long.compare(a.invokeNanos(), b.invokeNanos())
                : Long.compare(a.id(), b.id()));
        // operations already UNKNOWN are weaker than optional: they never belong to the core; nor do those the search
        // never reached (optional from the start, they change nothing it saw)
        List<Operation> core = new ArrayList<>();
        for (Operation op : all) {
            if (op.outcome() != Outcome.UNKNOWN && op.invokeNanos() <= furthestStuckNanos) {
                core.add(op);
            }
        }
        int n = 2;
        boolean minimal = false;
        while (core.size() >= 2 && System.nanoTime() - deadline < 0) {
            int chunks = Math.min(n, core.size());
            boolean shrunk = false;
            boolean allDecided = true;
            for (int c = 0; c < chunks && !shrunk; c++) {
                int from = c * core.size() / chunks;
                int to = (c + 1) * core.size() / chunks;
                List<Operation> kept = new ArrayList<>(core.subList(0, from));
                kept.addAll(core.subList(to, core.size()));
                PartitionSearch.State s = test(all, kept);
                if (s == PartitionSearch.State.INVALID) {
                    core = kept;
                    n = Math.max(chunks - 1, 2);
                    shrunk = true;
                } else if (s == PartitionSearch.State.PAUSED) {
                    allDecided = false;
                }
            }
            if (!shrunk) {
                if (chunks >= core.size()) {
                    minimal = allDecided && System.nanoTime() - deadline < 0;
                    break;
                }
                n = Math.min(2 * chunks, core.size());
            }
        }
        if (core.size() == 1) {
            // one operation alone cannot be linearized (whichever others happened): is it needed?
            minimal = test(all, List.of()) == PartitionSearch.State.VALID;
        }
        return new Core(List.copyOf(core), minimal, tests);
    }

    /** The partition with every operation of {@code all} but {@code kept} optional: legal, illegal, or undecided. */
    private PartitionSearch.State test(List<Operation> all, List<Operation> kept) {
        tests++;
        Set<Operation> keep = new HashSet<>(kept);
        List<Operation> ops = new ArrayList<>(all.size());
        boolean[] optional = new boolean[all.size()];
        for (Operation op : all) {
            boolean kept0 = keep.contains(op) || op.outcome() == Outcome.UNKNOWN;
            if (kept0 || !model.isReadOnly(op)) { // an optional read changes nothing: left out
                optional[ops.size()] = !kept0;
                ops.add(op);
            }
        }
        return new PartitionSearch<>(model, ops, optional).run(STEPS_PER_TEST, deadline, () -> false);
    }
}
