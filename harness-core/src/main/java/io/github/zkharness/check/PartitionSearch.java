package io.github.zkharness.check;

import io.github.zkharness.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.NullUnmarked;

/**
 * The search of one partition (see {@link Linearizability}), resumable: {@link #run} goes on for at most a given
 * number of steps and returns {@link State#PAUSED} when they are spent, keeping its stack and memo so the next call
 * continues where this one stopped. One step is one pass of the loop: one operation tried, or one completion reached
 * (which undoes the last operation placed when it cannot be passed).
 *
 * @param <S> the model's state type
 */
// The search engine behind Linearizability: fields filled as the search goes (no nulls reach the API).
@NullUnmarked
final class PartitionSearch<S> {

    /** Where a search is. */
    enum State {
        VALID,
        INVALID,
        PAUSED
    }

    private final Model<S> model;
    private final List<Operation> ops;
    private final Node head = new Node(null, -1, true);
    private final long[] zobrist;
    private final long[] bits;
    private final Set<Key<S>> cache = new HashSet<>();
    private final Node[] stackNodes;
    private final Object[] stackStates;
    private final boolean[] stackSkipped;
    private final boolean[] optional;
    private int top;
    private long hash;
    private S state;
    private Node entry;
    private State state0 = State.PAUSED;

    /** Steps taken so far, over every call of {@link #run}. */
    long steps;

    /** The longest order found: its length, its operations, the operation that could not follow, the state. */
    int bestDepth = -1;

    List<Operation> bestPrefix = List.of();
    Operation bestStuck;
    S bestState;

    /** The latest completion time at which the search was stuck (every operation it saw was invoked by then). */
    long furthestStuckNanos = -1;

    PartitionSearch(Model<S> model, List<Operation> ops) {
        this(model, ops, new boolean[ops.size()]);
    }

    /**
     * A search in which the operations at the indexes {@code optional} marks may also not have happened: each either
     * takes effect within its interval, as an OK operation does, or not at all.
     */
    PartitionSearch(Model<S> model, List<Operation> ops, boolean[] optional) {
        this.model = model;
        this.ops = ops;
        this.optional = optional;
        int n = ops.size();
        Node[] entries = new Node[2 * n];
        for (int i = 0; i < n; i++) {
            Node call = new Node(ops.get(i), i, true);
            Node ret = new Node(ops.get(i), i, false);
            call.match = ret;
            ret.match = call;
            entries[2 * i] = call;
            entries[2 * i + 1] = ret;
        }
        // at equal times calls come first: operations that touch are concurrent
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
        zobrist = new long[n];
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int i = 0; i < n; i++) {
            zobrist[i] = random.nextLong();
        }
        bits = new long[(n + 63) >>> 6];
        stackNodes = new Node[n];
        stackStates = new Object[n];
        stackSkipped = new boolean[n];
        state = model.init();
        entry = head.next;
        if (entry == null) {
            state0 = State.VALID;
        }
    }

    String describeBest() {
        return bestState == null ? "?" : model.describe(bestState);
    }

    /** The order placed so far (the linearization once VALID; only OK and placed UNKNOWN operations). */
    List<Operation> order() {
        List<Operation> order = new ArrayList<>(top);
        for (int i = 0; i < top; i++) {
            if (!stackSkipped[i]) {
                order.add(stackNodes[i].op);
            }
        }
        return order;
    }

    /**
     * Searches on for at most {@code allowed} more steps.
     *
     * @param allowed the steps this call may take (exactly: never one more)
     * @param deadline {@link System#nanoTime()} after which it pauses (checked every 256 steps)
     * @param stop checked every 256 steps; true pauses the search
     * @return VALID or INVALID once decided (and on every later call), PAUSED when a budget ran out
     */
    @SuppressWarnings("unchecked")
    State run(long allowed, long deadline, BooleanSupplier stop) {
        if (state0 != State.PAUSED) {
            return state0;
        }
        long limit = steps + allowed;
        while (head.next != null) {
            if (steps >= limit) {
                return State.PAUSED;
            }
            if ((++steps & 0xFF) == 0 && (System.nanoTime() - deadline >= 0 || stop.getAsBoolean())) {
                return State.PAUSED;
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
                        stackSkipped[top] = false;
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
                    state0 = State.VALID; // only unknown operations are left: they may never take effect
                    return state0;
                }
                if (optional[entry.idx]) {
                    // it may not have happened: pass its completion without it, once per (placed, state)
                    int i = entry.idx;
                    bits[i >>> 6] |= 1L << i;
                    long h = hash ^ zobrist[i];
                    if (cache.add(new Key<>(bits.clone(), h, state))) {
                        stackNodes[top] = entry.match;
                        stackStates[top] = state;
                        stackSkipped[top] = true;
                        top++;
                        hash = h;
                        lift(entry.match);
                        entry = head.next;
                        continue;
                    }
                    bits[i >>> 6] &= ~(1L << i);
                }
                if (top > bestDepth) {
                    bestDepth = top;
                    bestPrefix = order();
                    bestStuck = entry.op;
                    bestState = state;
                }
                furthestStuckNanos = Math.max(furthestStuckNanos, entry.op.effectiveEndNanos());
                while (true) {
                    if (top == 0) {
                        state0 = State.INVALID;
                        cache.clear();
                        return state0;
                    }
                    top--;
                    Node c = stackNodes[top];
                    state = (S) stackStates[top];
                    stackStates[top] = null;
                    bits[c.idx >>> 6] &= ~(1L << c.idx);
                    hash ^= zobrist[c.idx];
                    unlift(c);
                    // a skipped operation was passed at its completion, where nothing else was left to try
                    if (!stackSkipped[top]) {
                        entry = c.next;
                        break;
                    }
                }
            }
        }
        state0 = State.VALID;
        cache.clear();
        return state0;
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
