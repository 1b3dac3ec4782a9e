package io.github.zkharness.check;

import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Linearizability by brute force, for differential tests of {@link Linearizability}: try every order of the operations
 * that respects real time (an operation that completed strictly before another was invoked comes first), every OK
 * operation in it and every UNKNOWN one in it or not, and ask the model at each step. Nothing clever: no partitions (one
 * state per partition name, all in one search), no memo, no special case for reads. Exponential; for a handful of
 * operations.
 */
final class BruteForce {

    private BruteForce() {}

    static <S> boolean linearizable(Model<S> model, List<Operation> history, Predicate<Operation> filter) {
        return linearizable(model, history, filter, Set.of());
    }

    /**
     * As above, where each operation whose id is in {@code optional} may also not have happened: every subset of them
     * is left out in turn.
     */
    static <S> boolean linearizable(
            Model<S> model, List<Operation> history, Predicate<Operation> filter, Set<Long> optional) {
        List<Operation> ops = new ArrayList<>();
        List<Operation> maybe = new ArrayList<>();
        for (Operation op : history) {
            if (filter.test(op) && op.outcome() != Outcome.FAIL) {
                (optional.contains(op.id()) ? maybe : ops).add(op);
            }
        }
        for (int happened = 0; happened < 1 << maybe.size(); happened++) {
            List<Operation> these = new ArrayList<>(ops);
            for (int i = 0; i < maybe.size(); i++) {
                if ((happened & 1 << i) != 0) {
                    these.add(maybe.get(i));
                }
            }
            if (search(model, these, new boolean[these.size()], new HashMap<>())) {
                return true;
            }
        }
        return false;
    }

    private static <S> boolean search(Model<S> model, List<Operation> ops, boolean[] placed, Map<String, S> states) {
        boolean everyOkPlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            everyOkPlaced &= placed[i] || ops.get(i).outcome() == Outcome.UNKNOWN;
        }
        if (everyOkPlaced) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !mayGoNext(ops, placed, i)) {
                continue;
            }
            Operation op = ops.get(i);
            String part = model.partition(op);
            S before = states.containsKey(part) ? states.get(part) : model.init();
            S after = model.step(before, op);
            if (after == null) {
                continue;
            }
            boolean had = states.containsKey(part);
            S old = states.put(part, after);
            placed[i] = true;
            boolean ok = search(model, ops, placed, states);
            placed[i] = false;
            if (had) {
                states.put(part, old);
            } else {
                states.remove(part);
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** No operation left out of the order so far completed before {@code i} was invoked. */
    private static boolean mayGoNext(List<Operation> ops, boolean[] placed, int i) {
        long invoked = ops.get(i).invokeNanos();
        for (int j = 0; j < ops.size(); j++) {
            if (!placed[j] && j != i && ops.get(j).effectiveEndNanos() < invoked) {
                return false;
            }
        }
        return true;
    }
}
