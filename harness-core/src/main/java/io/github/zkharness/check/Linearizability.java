package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Linearizability of a history against a {@link Model}: is there one order of the operations that respects real time
 * (an operation that completed before another was invoked comes first) and in which every operation does what the
 * model says (every OK read returns the value of the latest write before it)?
 *
 * <p>The search is Wing and Gong's, in Lowe's just-in-time form (as Porcupine and Knossos's linear checker do): walk
 * the invocations and completions in time order, tentatively put an invoked operation next in the order if the model
 * allows it, backtrack when an operation completes without having been put; remember every (set of operations put,
 * state) pair already explored so no subtree is searched twice. The history is split by {@link Model#partition}
 * (per key for the register) and each part checked on its own, which is sound for a model whose parts are
 * independent (P-compositionality).
 *
 * <p>FAIL operations are left out (they did not happen). An UNKNOWN operation may take effect at any point after its
 * invocation or never: it has no completion, and the search succeeds once every OK operation is placed.
 *
 * <p>The search is exponential in the worst case: it stops at a time limit (default 30 s) or a step limit and answers
 * UNKNOWN, never hangs. When INVALID, the counterexample is the operation that could not be placed after the longest
 * order found, with the operations around it, and the explanation names that order's length and final state.
 *
 * <pre>{@code
 * CheckResult r = Linearizability.register().timeLimit(Duration.ofSeconds(10)).check(history);
 * }</pre>
 *
 * @param <S> the model's state type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Linearizability<S> implements Checker {

    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

    private final Model<S> model;
    private final Predicate<Operation> filter;
    private final Duration timeLimit;
    private final long maxSteps;
    private final String name;

    private Linearizability(
            Model<S> model, Predicate<Operation> filter, Duration timeLimit, long maxSteps, String name) {
        this.model = model;
        this.filter = filter;
        this.timeLimit = timeLimit;
        this.maxSteps = maxSteps;
        this.name = name;
    }

    /**
     * The strict check of a key/value register with compare-and-set: every read, sync-read, write and CAS, keys
     * starting absent ({@link RegisterModel#absentInitially()}).
     *
     * @return the checker
     */
    public static Linearizability<RegisterModel.Value> register() {
        return of(RegisterModel.absentInitially());
    }

    /**
     * Linearizability against {@code model}, every operation of the history included.
     *
     * @param model the sequential specification
     * @param <S> its state type
     * @return the checker
     * @throws IllegalArgumentException if model is null
     */
    public static <S> Linearizability<S> of(Model<S> model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new Linearizability<>(model, op -> true, DEFAULT_TIME_LIMIT, Long.MAX_VALUE, "linearizability");
    }

    /**
     * A copy that checks only the operations {@code filter} accepts (e.g. only writes).
     *
     * @param filter which operations to check
     * @return the new checker
     * @throws IllegalArgumentException if filter is null
     */
    public Linearizability<S> only(Predicate<Operation> filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null");
        }
        return new Linearizability<>(model, filter, timeLimit, maxSteps, name);
    }

    /**
     * A copy whose search gives up (UNKNOWN) after {@code limit} in total.
     *
     * @param limit a positive duration
     * @return the new checker
     * @throws IllegalArgumentException if limit is null, zero or negative
     */
    public Linearizability<S> timeLimit(Duration limit) {
        Objects.requireNonNull(limit, "limit must not be null");
        if (limit.isZero() || limit.isNegative()) {
            throw new IllegalArgumentException("the time limit must be positive, got " + limit);
        }
        return new Linearizability<>(model, filter, limit, maxSteps, name);
    }

    /**
     * A copy whose search gives up (UNKNOWN) after {@code steps} search steps in total (a step tries or undoes one
     * operation).
     *
     * @param steps at least 1
     * @return the new checker
     * @throws IllegalArgumentException if steps is less than 1
     */
    public Linearizability<S> maxSteps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, got " + steps);
        }
        return new Linearizability<>(model, filter, timeLimit, steps, name);
    }

    /**
     * A copy whose results carry {@code name} as the checker's name (default {@code linearizability}).
     *
     * @param name non-blank
     * @return the new checker
     * @throws IllegalArgumentException if name is blank
     */
    public Linearizability<S> named(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got " + name);
        }
        return new Linearizability<>(model, filter, timeLimit, maxSteps, name);
    }

    /** Checks a snapshot of the history's operations. */
    @Override
    public CheckResult check(History history) {
        return check(history.operations());
    }

    /**
     * Checks {@code operations} (a snapshot's operations, or any list of them).
     *
     * @param operations the operations
     * @return the result
     */
    public CheckResult check(List<Operation> operations) {
        return search(operations).result;
    }

    /** The outcome of a whole check, with one linearization per part when VALID. */
    record Found(CheckResult result, Map<String, List<Operation>> orders) {}

    Found search(List<Operation> operations) {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        Map<String, List<Operation>> parts = new TreeMap<>();
        int unknown = 0;
        int total = 0;
        for (Operation op : operations) {
            if (!filter.test(op) || op.outcome() == Outcome.FAIL) {
                continue;
            }
            if (op.outcome() == Outcome.UNKNOWN && model.isReadOnly(op)) {
                continue;
            }
            if (op.outcome() == Outcome.UNKNOWN) {
                unknown++;
            }
            total++;
            parts.computeIfAbsent(model.partition(op), k -> new ArrayList<>()).add(op);
        }
        long steps = 0;
        Map<String, List<Operation>> orders = new TreeMap<>();
        for (Map.Entry<String, List<Operation>> part : parts.entrySet()) {
            Search<S> s = new Search<>(model, part.getValue(), deadline, maxSteps - steps);
            PartResult r = s.run();
            steps += s.steps;
            if (r == PartResult.UNKNOWN) {
                return new Found(
                        CheckResult.unknown(
                                name,
                                part.getKey(),
                                "gave up on key " + part.getKey() + " ("
                                        + part.getValue().size() + " operations) after " + steps
                                        + " search steps in total: "
                                        + (System.nanoTime() >= deadline
                                                ? "the time limit of " + timeLimit.toMillis() + " ms"
                                                : "the step limit of " + maxSteps)
                                        + " ran out; the longest order found there placed "
                                        + s.bestDepth + " operations"),
                        Map.of());
            }
            if (r == PartResult.INVALID) {
                return new Found(invalid(part.getKey(), part.getValue(), s), Map.of());
            }
            orders.put(part.getKey(), s.order());
        }
        return new Found(
                CheckResult.valid(
                        name,
                        total + " operations (" + unknown + " of them unknown) on " + parts.size()
                                + " keys are linearizable (" + steps + " search steps)"),
                orders);
    }

    private CheckResult invalid(String key, List<Operation> ops, Search<S> s) {
        Operation stuck = s.bestStuck;
        List<Operation> prefix = s.bestPrefix;
        Set<Operation> involved = new LinkedHashSet<>();
        involved.add(stuck);
        // the end of the longest order, and what in it overlaps the stuck operation
        for (int i = prefix.size() - 1, taken = 0; i >= 0 && taken < 4; i--, taken++) {
            involved.add(prefix.get(i));
        }
        for (Operation p : prefix) {
            if (p.effectiveEndNanos() >= stuck.invokeNanos() && involved.size() < 10) {
                involved.add(p);
            }
        }
        // operations that were pending and could have gone next instead
        Set<Operation> inPrefix = new HashSet<>(prefix);
        List<Operation> pending = new ArrayList<>();
        for (Operation o : ops) {
            if (o != stuck && !inPrefix.contains(o) && o.invokeNanos() <= stuck.effectiveEndNanos()) {
                pending.add(o);
            }
        }
        pending.sort(Comparator.comparingLong(o -> Math.abs(o.invokeNanos() - stuck.invokeNanos())));
        for (int i = 0; i < pending.size() && i < 4; i++) {
            involved.add(pending.get(i));
        }
        List<Operation> counterexample = new ArrayList<>(involved);
        counterexample.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id));
        String explanation = "not linearizable: on key " + key + ", the longest order of its operations that respects"
                + " real time and the model places " + prefix.size() + " of " + ops.size() + " operations"
                + (prefix.isEmpty()
                        ? ""
                        : ", ending with " + ids(prefix.subList(Math.max(0, prefix.size() - 3), prefix.size())))
                + " in state " + s.describeBest() + "; then " + stuck.describe()
                + " must take effect before it completes, but no order of the operations invoked by then allows it"
                + " (the operations below are it and those around it).";
        return CheckResult.invalid(name, key, explanation, counterexample, List.of());
    }

    private static String ids(List<Operation> ops) {
        StringBuilder s = new StringBuilder();
        for (Operation o : ops) {
            s.append(s.length() == 0 ? "" : ", ").append('#').append(o.id());
        }
        return s.toString();
    }

    private enum PartResult {
        VALID,
        INVALID,
        UNKNOWN
    }

    /** One partition's search; see the class comment. */
    private static final class Search<S> {
        private final Model<S> model;
        private final List<Operation> ops;
        private final long deadline;
        private final long stepBudget;
        long steps;
        int bestDepth = -1;
        List<Operation> bestPrefix = List.of();
        Operation bestStuck;
        S bestState;
        private Node[] stackNodes;
        private int top;

        Search(Model<S> model, List<Operation> ops, long deadline, long stepBudget) {
            this.model = model;
            this.ops = ops;
            this.deadline = deadline;
            this.stepBudget = stepBudget;
        }

        String describeBest() {
            return bestState == null ? "?" : model.describe(bestState);
        }

        List<Operation> order() {
            List<Operation> order = new ArrayList<>();
            for (int i = 0; i < top; i++) {
                order.add(stackNodes[i].op);
            }
            return order;
        }

        @SuppressWarnings("unchecked")
        PartResult run() {
            int n = ops.size();
            Node head = new Node(null, -1, true);
            Node[] entries = new Node[2 * n];
            for (int i = 0; i < n; i++) {
                Node call = new Node(ops.get(i), i, true);
                Node ret = new Node(ops.get(i), i, false);
                call.match = ret;
                ret.match = call;
                entries[2 * i] = call;
                entries[2 * i + 1] = ret;
            }
            Arrays.sort(
                    entries,
                    Comparator.comparingLong(Node::time)
                            .thenComparingInt(e -> e.call ? 0 : 1)
                            .thenComparingInt(e -> e.idx));
            Node prev = head;
            for (Node e : entries) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
            long[] zobrist = new long[n];
            SplittableRandom random = new SplittableRandom(0x5eed);
            for (int i = 0; i < n; i++) {
                zobrist[i] = random.nextLong();
            }
            long[] bits = new long[(n + 63) >>> 6];
            long hash = 0;
            Set<Key<S>> cache = new HashSet<>();
            stackNodes = new Node[n];
            Object[] stackStates = new Object[n];
            top = 0;
            S state = model.init();
            Node entry = head.next;
            while (head.next != null) {
                if ((++steps & 0x3FF) == 0 && (steps > stepBudget || System.nanoTime() >= deadline)) {
                    return PartResult.UNKNOWN;
                }
                if (entry.call) {
                    S next = model.step(state, entry.op);
                    if (next != null) {
                        int i = entry.idx;
                        bits[i >>> 6] |= 1L << i;
                        long h = hash ^ zobrist[i];
                        if (cache.add(new Key<>(bits.clone(), h, next))) {
                            stackNodes[top] = entry;
                            stackStates[top] = state;
                            top++;
                            state = next;
                            hash = h;
                            lift(entry);
                            entry = head.next;
                            continue;
                        }
                        bits[i >>> 6] &= ~(1L << i);
                    }
                    entry = entry.next;
                } else {
                    if (entry.op.effectiveEndNanos() == Long.MAX_VALUE) {
                        return PartResult.VALID; // only unknown operations are left: they may never take effect
                    }
                    if (top > bestDepth) {
                        bestDepth = top;
                        bestPrefix = order();
                        bestStuck = entry.op;
                        bestState = state;
                    }
                    if (top == 0) {
                        return PartResult.INVALID;
                    }
                    top--;
                    Node c = stackNodes[top];
                    state = (S) stackStates[top];
                    stackStates[top] = null;
                    bits[c.idx >>> 6] &= ~(1L << c.idx);
                    hash ^= zobrist[c.idx];
                    unlift(c);
                    entry = c.next;
                }
            }
            return PartResult.VALID;
        }

        private static void lift(Node call) {
            call.prev.next = call.next;
            if (call.next != null) {
                call.next.prev = call.prev;
            }
            Node ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private static void unlift(Node call) {
            Node ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            if (call.next != null) {
                call.next.prev = call;
            }
        }
    }

    /** An invocation (call) or completion of one operation, in a doubly linked list. */
    private static final class Node {
        final Operation op;
        final int idx;
        final boolean call;
        Node match;
        Node prev;
        Node next;

        Node(Operation op, int idx, boolean call) {
            this.op = op;
            this.idx = idx;
            this.call = call;
        }

        long time() {
            return call ? op.invokeNanos() : op.effectiveEndNanos();
        }
    }

    /** A memoized (operations placed, state) pair. */
    private static final class Key<S> {
        final long[] bits;
        final long hash;
        final S state;
        final int hashCode;

        Key(long[] bits, long hash, S state) {
            this.bits = bits;
            this.hash = hash;
            this.state = state;
            this.hashCode = Long.hashCode(hash) * 31 + state.hashCode();
        }

        @Override
        public int hashCode() {
            return hashCode;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key<?> k && k.hash == hash && k.state.equals(state) && Arrays.equals(k.bits, bits);
        }
    }
}
