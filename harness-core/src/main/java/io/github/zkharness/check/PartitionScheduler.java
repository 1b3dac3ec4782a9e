package io.github.zkharness.check;

import io.github.zkharness.history.Operation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.NullUnmarked;

/**
 * Decides every partition of a history (see {@link Linearizability}): on up to {@code threads} threads, each taking
 * the next partition from one queue (at first the smallest partitions first) and searching it for a slice of steps; a partition not decided in its slice goes
 * back to the end of the queue with a slice twice as long. So every partition gets a short first look before any gets
 * a long one, and the first partition found illegal stops every search.
 *
 * <p>The step budget is shared and exact: a thread takes its slice out of what is left before it searches and gives
 * back what it did not use, so the steps taken in total never exceed {@code maxSteps}, and a partition is given up
 * only when no steps are left and no other thread could give any back.
 *
 * @param <S> the model's state type
 */
// The search engine behind Linearizability: fields filled as the search goes (no nulls reach the API).
@NullUnmarked
final class PartitionScheduler<S> {

    /** The first slice of every partition, in steps. */
    static final long FIRST_SLICE = 4_096;

    private static final long LONGEST_SLICE = 1L << 24;

    /** What the scheduler concluded. */
    enum Why {
        DECIDED,
        INVALID,
        TIME_LIMIT,
        STEP_LIMIT,
        INTERRUPTED
    }

    /** One partition being searched. */
    static final class Part<S> {
        final String key;
        final List<Operation> ops;
        final PartitionSearch<S> search;
        long slice = FIRST_SLICE;
        PartitionSearch.State state = PartitionSearch.State.PAUSED;

        Part(String key, List<Operation> ops, PartitionSearch<S> search) {
            this.key = key;
            this.ops = ops;
            this.search = search;
        }
    }

    private final Object lock = new Object();
    private final ArrayDeque<Part<S>> queue = new ArrayDeque<>();
    private final Map<String, Part<S>> parts = new TreeMap<>();
    private final long deadline;
    private long remaining;
    private int active;
    private Part<S> invalid;
    private Why why;
    private Throwable failure;
    private volatile boolean stop;

    PartitionScheduler(Model<S> model, Map<String, List<Operation>> partitions, long deadline, long maxSteps) {
        this.deadline = deadline;
        this.remaining = maxSteps;
        List<Part<S>> bySize = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : partitions.entrySet()) {
            Part<S> part = new Part<>(e.getKey(), e.getValue(), new PartitionSearch<>(model, e.getValue()));
            parts.put(e.getKey(), part);
            bySize.add(part);
        }
        // the smallest first (stable: in key order among equals): the partitions decided soonest, an illegal one among
        // them found before a large one took its first slice
        bySize.sort(Comparator.comparingInt(p -> p.ops.size()));
        queue.addAll(bySize);
    }

    /** Every partition, by key. */
    Map<String, Part<S>> parts() {
        return parts;
    }

    /** The partition found illegal, or null. */
    Part<S> invalid() {
        return invalid;
    }

    /** Steps taken over every partition. */
    long steps() {
        long steps = 0;
        for (Part<S> p : parts.values()) {
            steps += p.search.steps;
        }
        return steps;
    }

    /**
     * Runs until every partition is decided, one is illegal, or a budget runs out.
     *
     * @param threads how many threads search at once (the caller's included)
     * @return why it stopped
     */
    Why run(int threads) {
        int helpers = Math.min(threads, parts.size()) - 1;
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < helpers; i++) {
            Thread t = new Thread(this::work, "zk-harness-linearizability-" + (i + 1));
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        work();
        boolean interrupted = false;
        for (Thread t : started) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            if (invalid != null) {
                return Why.INVALID;
            }
            boolean undecided = false;
            for (Part<S> p : parts.values()) {
                undecided |= p.state == PartitionSearch.State.PAUSED;
            }
            if (!undecided) {
                return Why.DECIDED;
            }
            return why == null ? Why.INTERRUPTED : why;
        }
    }

    private void work() {
        while (true) {
            Part<S> part;
            long grant;
            synchronized (lock) {
                while (true) {
                    if (stop || invalid != null || failure != null) {
                        return;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        why = Why.TIME_LIMIT;
                        stop = true;
                        lock.notifyAll();
                        return;
                    }
                    if (!queue.isEmpty() && remaining > 0) {
                        part = queue.poll();
                        grant = Math.min(part.slice, remaining);
                        remaining -= grant;
                        active++;
                        break;
                    }
                    if (active == 0) {
                        if (!queue.isEmpty()) {
                            why = Why.STEP_LIMIT;
                        }
                        lock.notifyAll();
                        return;
                    }
                    try {
                        lock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        stop = true;
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            long before = part.search.steps;
            PartitionSearch.State result;
            try {
                result = part.search.run(
                        grant, deadline, () -> stop || Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                synchronized (lock) {
                    failure = t;
                    stop = true;
                    active--;
                    lock.notifyAll();
                }
                return;
            }
            long used = part.search.steps - before;
            synchronized (lock) {
                active--;
                remaining += grant - used;
                part.state = result;
                if (result == PartitionSearch.State.INVALID) {
                    if (invalid == null) {
                        invalid = part;
                    }
                    stop = true;
                } else if (result == PartitionSearch.State.PAUSED) {
                    if (Thread.currentThread().isInterrupted()) {
                        stop = true;
                    }
                    part.slice = Math.min(LONGEST_SLICE, part.slice * 2);
                    queue.add(part);
                }
                lock.notifyAll();
            }
        }
    }
}
