package io.github.zkharness.check;

import io.github.zkharness.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
    private final PlacedSet placed;
    private final Memo memo;
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

    /** The longest order found: its length, the operation that could not follow, the state (see bestPrefix()). */
    int bestDepth = -1;

    Operation bestStuck;
    S bestState;

    /** The stack as it was when the longest order was found; its first bestSame entries are still on the stack. */
    private final Node[] bestNodes;

    private final boolean[] bestSkipped;
    private int bestSame;

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
        // loop bodies as calls (pair, append): the JIT compiles them within the first check, where a loop entered once
        // per key would stay interpreted until on-stack replacement, several checks later
        Operation[] array = ops.toArray(new Operation[0]);
        for (int i = 0; i < n; i++) {
            pair(entries, n, i, array[i]);
        }
        Arrays.sort(entries, BY_TIME);
        int rank = 0;
        Node prev = head;
        for (Node e : entries) {
            rank = append(prev, e, rank);
            prev = e;
        }
        zobrist = new long[n];
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int k = 0; k < n; k++) {
            zobrist[k] = random.nextLong();
        }
        placed = new PlacedSet(n);
        memo = new Memo(n);
        stackNodes = new Node[n];
        stackStates = new Object[n];
        stackSkipped = new boolean[n];
        bestNodes = new Node[n];
        bestSkipped = new boolean[n];
        state = model.init();
        entry = head.next;
        if (entry == null) {
            state0 = State.VALID;
        }
    }

    /** The call and the completion of {@code op}: calls first, then completions, each half mostly in order already. */
    private static void pair(Node[] entries, int n, int i, Operation op) {
        Node call = new Node(op, i, true);
        Node ret = new Node(op, i, false);
        call.match = ret;
        ret.match = call;
        entries[i] = call;
        entries[n + i] = ret;
    }

    /** Links {@code e} after {@code prev}; a call gets the next bit ({@code rank}): returns the rank after it. */
    private static int append(Node prev, Node e, int rank) {
        prev.next = e;
        e.prev = prev;
        if (!e.call) {
            return rank;
        }
        e.bit = rank;
        e.match.bit = rank;
        return rank + 1;
    }

    String describeBest() {
        return bestState == null ? "?" : model.describe(bestState);
    }

    /** The order placed so far (the linearization once VALID; only OK and placed UNKNOWN operations). */
    List<Operation> order() {
        return placed(stackNodes, stackSkipped, top);
    }

    /** The longest order found (only OK and placed UNKNOWN operations), after which bestStuck could not follow. */
    List<Operation> bestPrefix() {
        return placed(bestNodes, bestSkipped, Math.max(0, bestDepth));
    }

    private static List<Operation> placed(Node[] nodes, boolean[] skipped, int count) {
        List<Operation> order = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!skipped[i]) {
                order.add(nodes[i].op);
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
            // one step in a method of its own: called on every step, the JIT compiles it early in the first search,
            // where a loop body run by a method called once per search would wait for on-stack replacement
            if (!step()) {
                return state0;
            }
        }
        state0 = State.VALID;
        memo.clear();
        return state0;
    }

    /** One step: the next operation tried, or the next completion reached. False once the search is decided. */
    private boolean step() {
        if (entry.call) {
            S next = model.step(state, entry.op);
            if (next != null && place(entry, next, false)) {
                return true;
            }
            entry = entry.next;
            return true;
        }
        if (entry.op.effectiveEndNanos() == Long.MAX_VALUE) {
            state0 = State.VALID; // only unknown operations are left: they may never take effect
            return false;
        }
        // it may not have happened: pass its completion without it, once per (placed, state)
        if (optional[entry.idx] && place(entry.match, state, true)) {
            return true;
        }
        return backtrack();
    }

    /**
     * Puts {@code call}'s operation next in the order (or, skipped, passes it as not having happened), unless the
     * (placed, state) pair it leads to was explored already.
     */
    private boolean place(Node call, S next, boolean skipped) {
        int b = call.bit;
        placed.set(b);
        long h = hash ^ zobrist[b];
        if (!memo.add(placed, h, next)) {
            placed.clear(b);
            return false;
        }
        stackNodes[top] = call;
        stackStates[top] = state;
        stackSkipped[top] = skipped;
        top++;
        state = next;
        hash = h;
        lift(call);
        entry = head.next;
        return true;
    }

    /** Stuck at a completion: undoes the operations placed last. False when nothing is left to undo (INVALID). */
    @SuppressWarnings("unchecked")
    private boolean backtrack() {
        if (top > bestDepth) {
            // copy only what changed since the last best: copying the whole stack each time is quadratic
            System.arraycopy(stackNodes, bestSame, bestNodes, bestSame, top - bestSame);
            System.arraycopy(stackSkipped, bestSame, bestSkipped, bestSame, top - bestSame);
            bestSame = top;
            bestDepth = top;
            bestStuck = entry.op;
            bestState = state;
        }
        furthestStuckNanos = Math.max(furthestStuckNanos, entry.op.effectiveEndNanos());
        while (true) {
            if (top == 0) {
                state0 = State.INVALID;
                memo.clear();
                return false;
            }
            top--;
            bestSame = Math.min(bestSame, top);
            Node c = stackNodes[top];
            state = (S) stackStates[top];
            stackStates[top] = null;
            placed.clear(c.bit);
            hash ^= zobrist[c.bit];
            unlift(c);
            // a skipped operation was passed at its completion, where nothing else was left to try
            if (!stackSkipped[top]) {
                entry = c.next;
                return true;
            }
        }
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

    /** In time order; at equal times calls come first (operations that touch are concurrent), then by index. */
    private static final Comparator<Node> BY_TIME = (a, b) -> {
        int c = Long.compare(a.time, b.time);
        if (c != 0) {
            return c;
        }
        if (a.call != b.call) {
            return a.call ? -1 : 1;
        }
        return Integer.compare(a.idx, b.idx);
    };

    /** An invocation (call) or completion of one operation, in a doubly linked list. */
    private static final class Node {
        final Operation op;
        final int idx;
        final boolean call;
        final long time;
        /** Which bit of the placed set and of the hash stands for the operation: its rank in invocation order. */
        int bit;

        Node match;
        Node prev;
        Node next;

        Node(Operation op, int idx, boolean call) {
            this.op = op;
            this.idx = idx;
            this.call = call;
            this.time = op == null ? Long.MIN_VALUE : call ? op.invokeNanos() : op.effectiveEndNanos();
        }
    }

    /**
     * The operations placed, by {@link Node#bit}, with the all-ones words it starts with and the zero words it ends
     * with kept track of: in invocation order, what a search has placed is mostly a prefix, so the memo stores only
     * the words between.
     */
    static final class PlacedSet {
        final long[] words;

        /** {@code words[0 .. full)} are all ones. */
        int full;

        /** {@code words[end ..]} are all zero; {@code end >= full}. */
        int end;

        PlacedSet(int n) {
            words = new long[(n + 63) >>> 6];
        }

        void set(int b) {
            int w = b >>> 6;
            words[w] |= 1L << b;
            if (w >= end) {
                end = w + 1;
            }
            while (full < words.length && words[full] == -1L) {
                full++;
            }
        }

        void clear(int b) {
            int w = b >>> 6;
            words[w] &= ~(1L << b);
            if (w < full) {
                full = w;
            }
            while (end > full && words[end - 1] == 0) {
                end--;
            }
        }
    }

    /**
     * The (operations placed, state) pairs already explored: open addressing over parallel arrays, keyed by the placed
     * set's Zobrist hash and the state's hash; each entry keeps the placed set's words between its all-ones prefix and
     * its zero suffix, so that equality stays exact.
     */
    static final class Memo {
        private static final long[] NONE = new long[0];

        private long[] hashes;
        private int[] stateHashes;
        private int[] fulls;
        private long[][] windows;
        private Object[] states;
        private int size;

        Memo(int n) {
            allocate(Integer.highestOneBit(Math.max(16, 4 * n - 1)) << 1);
        }

        private void allocate(int capacity) {
            hashes = new long[capacity];
            stateHashes = new int[capacity];
            fulls = new int[capacity];
            windows = new long[capacity][];
            states = new Object[capacity];
        }

        private static int index(long h, int stateHash, int mask) {
            long x = h ^ (stateHash * 0x9E3779B97F4A7C15L);
            return (int) (x ^ (x >>> 29)) & mask;
        }

        /** Adds the pair; false if it was there already. */
        boolean add(PlacedSet placed, long h, Object state) {
            int sh = state.hashCode();
            int mask = states.length - 1;
            int slot = index(h, sh, mask);
            Object s;
            while ((s = states[slot]) != null) {
                if (hashes[slot] == h
                        && stateHashes[slot] == sh
                        && fulls[slot] == placed.full
                        && Arrays.equals(windows[slot], 0, windows[slot].length, placed.words, placed.full, placed.end)
                        && s.equals(state)) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            hashes[slot] = h;
            stateHashes[slot] = sh;
            fulls[slot] = placed.full;
            windows[slot] =
                    placed.full == placed.end ? NONE : Arrays.copyOfRange(placed.words, placed.full, placed.end);
            states[slot] = state;
            if (++size * 2 > states.length) {
                grow();
            }
            return true;
        }

        private void grow() {
            long[] oldHashes = hashes;
            int[] oldStateHashes = stateHashes;
            int[] oldFulls = fulls;
            long[][] oldWindows = windows;
            Object[] oldStates = states;
            allocate(oldStates.length * 2);
            int mask = states.length - 1;
            for (int i = 0; i < oldStates.length; i++) {
                if (oldStates[i] == null) {
                    continue;
                }
                int slot = index(oldHashes[i], oldStateHashes[i], mask);
                while (states[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                stateHashes[slot] = oldStateHashes[i];
                fulls[slot] = oldFulls[i];
                windows[slot] = oldWindows[i];
                states[slot] = oldStates[i];
            }
        }

        /** Forgets every pair and lets the memory go (the search is decided). */
        void clear() {
            allocate(1);
            size = 0;
        }
    }
}
