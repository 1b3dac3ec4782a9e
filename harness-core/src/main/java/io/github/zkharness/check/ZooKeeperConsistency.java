package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The consistency ZooKeeper documents for a register kept in znodes, checked exactly: no more (reads are not held to
 * linearizability) and no less.
 *
 * <h2>What ZooKeeper 3.9 promises</h2>
 * ZooKeeper's Programmer's Guide ("Consistency Guarantees") and its Internals page ("Consistency Guarantees", since
 * ZOOKEEPER-3522):
 * <ul>
 *   <li><b>Writes are linearizable.</b> Every update goes through the leader and is ordered by its zxid; each takes
 *       effect atomically between its invocation and its response, in an order that respects real time.</li>
 *   <li><b>Reads are not linearizable.</b> A read is served by the one server the session is connected to, from its
 *       own copy, without a quorum: a follower that has not yet applied a committed write returns the older value
 *       (a <em>stale read</em>). Reads are sequentially consistent: consistent with one order of all updates and with
 *       each client's own order.</li>
 *   <li><b>A session never goes back in time</b> ("single system image"): each response carries the server's zxid,
 *       the client remembers the largest it saw, and a server that is behind it refuses the session on reconnection.
 *       So one session's reads never return an older value than one it has already seen (monotonic reads), and never
 *       one older than its own completed writes (read-your-writes: updates from a client are applied in the order it
 *       sent them, FIFO).</li>
 *   <li><b>{@code sync} then read narrows the gap but does not close it.</b> {@code sync} makes the session's server
 *       catch up with the leader before answering the following read, so normally the read sees every write that
 *       completed before the sync was sent. But in 3.9 {@code sync} is not a quorum operation (ZOOKEEPER-1675, still
 *       open): a leader that has lost its quorum and does not know it yet answers the sync from its own state while a
 *       new leader commits newer writes, and the read is stale (jepsen-io/jepsen issue 399). So a sync-read is
 *       guaranteed only what a read is; this checker treats {@link OpKind#SYNC_READ} as a read.</li>
 *   <li><b>A read-only server may be stale by any amount.</b> In read-only mode a server cut off from its quorum
 *       serves {@code canBeReadOnly} clients from the state it had when it lost the quorum, while the majority goes on
 *       writing (ZooKeeper's Administrator's Guide, {@code readonlymode.enabled}; ZOOKEEPER-704).</li>
 * </ul>
 *
 * <h2>What this checker checks, per key</h2>
 * <ol>
 *   <li>Writes and compare-and-sets (OK and UNKNOWN) are linearizable as a register
 *       ({@link Linearizability} with reads left out).</li>
 *   <li>Every OK read returns the initial value (absent) or a value some write or CAS (OK or UNKNOWN) wrote, invoked
 *       before the read completed: never a value only failed writes wrote, never a value from the future.</li>
 *   <li>Per process (one process = one ZooKeeper session), reads never go backwards: after the session has seen a
 *       value (read it, or wrote it itself and got OK), no later read returns a value all of whose writes completed
 *       before any write of the seen value was invoked (those writes are definitely older in zxid order), and none
 *       returns the initial value.</li>
 * </ol>
 * A read served read-only ({@link OpKind#READ_ONLY_READ}) is held to rule 2 alone: it may return the initial value or
 * any value a write or CAS that may have taken effect wrote, however old, and it neither goes back in its session
 * nor marks what its session has seen.
 * Every rule flags only what is definitely a violation (unknown writes may take effect late; a value written twice
 * may come from either write). Not checked: order across keys, and whether the reads of different sessions can be
 * merged into one order (sequential consistency across sessions).
 *
 * <p>The strict check, {@link Linearizability#register()} over the same history, holds reads to linearizability: a
 * stale read from a follower fails it and passes this one. That gap is what ZooKeeper documents.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZooKeeperConsistency implements Checker {

    private static final String NAME = "zookeeper-consistency";

    private final Duration timeLimit;
    private final Predicate<Operation> filter;
    private final String name;
    private final Linearizability<RegisterModel.Value> writes;

    private ZooKeeperConsistency(Duration timeLimit, Predicate<Operation> filter, String name) {
        this.timeLimit = timeLimit;
        this.filter = filter;
        this.name = name;
        this.writes = Linearizability.register()
                .only(op -> (op.kind().equals(OpKind.WRITE) || op.kind().equals(OpKind.CAS)) && filter.test(op))
                .timeLimit(timeLimit)
                .named("linearizable-writes");
    }

    /**
     * The checker of what ZooKeeper documents, with a 30 s budget for the write linearizability search:
     * {@code ZooKeeperConsistency.of().check(history)}, made and run as every checker is.
     *
     * @return the checker
     */
    public static ZooKeeperConsistency of() {
        return new ZooKeeperConsistency(Duration.ofSeconds(30), op -> true, NAME);
    }

    /**
     * A copy whose write linearizability search gives up (UNKNOWN) after {@code limit}.
     *
     * @param limit positive
     * @return the new checker
     * @throws IllegalArgumentException if limit is not positive
     */
    public ZooKeeperConsistency timeLimit(Duration limit) {
        Objects.requireNonNull(limit, "limit must not be null");
        if (limit.isZero() || limit.isNegative()) {
            throw new IllegalArgumentException("the time limit must be positive, got " + limit);
        }
        return new ZooKeeperConsistency(limit, filter, name);
    }

    /**
     * A copy that checks only the operations {@code filter} accepts (e.g. those of some keys), as
     * {@link Linearizability#only} does; the others are left out of every rule.
     *
     * @param filter which operations to check
     * @return the new checker
     * @throws NullPointerException if filter is null
     */
    public ZooKeeperConsistency only(Predicate<Operation> filter) {
        Objects.requireNonNull(filter, "filter must not be null");
        return new ZooKeeperConsistency(timeLimit, filter, name);
    }

    /**
     * A copy whose combined result carries {@code name} as the checker's name (default
     * {@code zookeeper-consistency}); its parts keep theirs ({@code linearizable-writes}, {@code session-reads}).
     *
     * @param name non-blank
     * @return the new checker
     * @throws IllegalArgumentException if name is null or blank
     */
    public ZooKeeperConsistency named(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got " + name);
        }
        return new ZooKeeperConsistency(timeLimit, filter, name);
    }

    /** Checks writes for linearizability and reads against the session guarantees (see the class comment). */
    @Override
    public CheckResult check(History history) {
        List<Operation> ops = history.operations().stream().filter(filter).toList();
        CheckResult w = writes.check(ops);
        CheckResult r = checkReads(ops);
        return Checks.combine(name, List.of(w, r));
    }

    /** Per key: the writes of each value, and the sessions' reads. */
    private static CheckResult checkReads(List<Operation> ops) {
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : ops) {
            if (op.kind().isRead()
                    || op.kind().equals(OpKind.WRITE)
                    || op.kind().equals(OpKind.CAS)) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        int reads = 0;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            CheckResult bad = checkKey(e.getKey(), e.getValue());
            if (bad != null) {
                return bad;
            }
            reads += (int) e.getValue().stream()
                    .filter(o -> o.kind().isRead() && o.outcome() == Outcome.OK)
                    .count();
        }
        return CheckResult.valid(
                "session-reads",
                reads + " reads on " + byKey.size() + " keys each returned a"
                        + " written value and never went back in their session");
    }

    /** What is known of the writes of one value on one key. */
    private static final class Writes {
        long earliestInvoke = Long.MAX_VALUE;
        long latestEnd = Long.MIN_VALUE;
        final List<Operation> ops = new ArrayList<>();

        void add(Operation w) {
            earliestInvoke = Math.min(earliestInvoke, w.invokeNanos());
            latestEnd = Math.max(latestEnd, w.effectiveEndNanos());
            ops.add(w);
        }
    }

    private static final Object ABSENT = new Object();

    @SuppressWarnings("NullAway") // writes.get(box(read)): rule 2 returned for an OK read no write explains
    private static @Nullable CheckResult checkKey(String key, List<Operation> ops) {
        Map<Object, Writes> writes = new HashMap<>();
        List<Operation> failedWrites = new ArrayList<>();
        for (Operation op : ops) {
            if (op.kind().isRead()) {
                continue;
            }
            if (op.outcome() == Outcome.FAIL) {
                failedWrites.add(op);
            } else {
                writes.computeIfAbsent(box(op.value()), v -> new Writes()).add(op);
            }
        }
        Writes initial = new Writes(); // the initial value: "written" before everything, done before everything
        initial.earliestInvoke = -1;
        initial.latestEnd = -1;
        writes.merge(ABSENT, initial, (a, b) -> {
            a.earliestInvoke = -1;
            return a;
        });
        // rule 2: a written value, not from the future
        for (Operation r : ops) {
            if (!r.kind().isRead() || r.outcome() != Outcome.OK) {
                continue;
            }
            Writes w = writes.get(box(r.result()));
            if (w == null) {
                List<Operation> involved = new ArrayList<>(List.of(r));
                failedWrites.stream()
                        .filter(f -> Operation.sameValue(f.value(), r.result()))
                        .limit(3)
                        .forEach(involved::add);
                return CheckResult.invalid(
                        "session-reads",
                        key,
                        r.describe() + " returned a value that no write"
                                + " which may have taken effect wrote"
                                + (involved.size() > 1 ? " (only writes that failed did)" : "")
                                + ": ZooKeeper never returns a value that was not written.",
                        sort(involved),
                        List.of());
            }
            if (w.earliestInvoke > r.completeNanos()) {
                List<Operation> involved = new ArrayList<>(List.of(r));
                involved.add(w.ops.get(0));
                return CheckResult.invalid(
                        "session-reads",
                        key,
                        r.describe() + " returned a value whose every"
                                + " write was invoked only after the read completed: a read from the future.",
                        sort(involved),
                        List.of());
            }
        }
        // rule 3: per session, never backwards
        Map<Integer, List<Operation>> sessions = new TreeMap<>();
        for (Operation op : ops) {
            if (op.outcome() == Outcome.OK) {
                sessions.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
            }
        }
        for (Map.Entry<Integer, List<Operation>> s : sessions.entrySet()) {
            long floor = Long.MIN_VALUE;
            Operation floorBy = null;
            for (Operation op : s.getValue()) { // already in invocation order
                if (op.kind().equals(OpKind.READ_ONLY_READ)) {
                    continue; // possibly stale by any amount: rule 2 only
                }
                if (op.kind().isRead()) {
                    Writes w = writes.get(box(op.result()));
                    if (floorBy != null && w.latestEnd < floor) {
                        boolean own = !floorBy.kind().isRead();
                        List<Operation> involved = new ArrayList<>(List.of(floorBy, op));
                        w.ops.stream().limit(2).forEach(involved::add);
                        String what = own
                                ? "its own write " + floorBy.describe() + " completed"
                                : "it saw " + floorBy.describe();
                        return CheckResult.invalid(
                                "session-reads",
                                key,
                                "session p" + s.getKey() + " went back in"
                                        + " time" + (own ? " (read-your-writes)" : " (monotonic reads)") + ": after "
                                        + what
                                        + ", " + op.describe() + " returned " + quote(op.result())
                                        + ", an older value: "
                                        + (w.ops.isEmpty()
                                                ? "the initial one"
                                                : "every write of it had completed before any write"
                                                        + " of the value the session had seen was invoked")
                                        + ". ZooKeeper promises that a session"
                                        + " never sees an older state than one it has seen.",
                                sort(involved),
                                List.of());
                    }
                    if (w.earliestInvoke > floor) {
                        floor = w.earliestInvoke;
                        floorBy = op;
                    }
                } else if (op.invokeNanos() > floor) {
                    floor = op.invokeNanos();
                    floorBy = op;
                }
            }
        }
        return null;
    }

    private static String quote(@Nullable String v) {
        return v == null ? "absent" : '"' + v + '"';
    }

    private static Object box(@Nullable String value) {
        return value == null ? ABSENT : value;
    }

    private static List<Operation> sort(List<Operation> ops) {
        List<Operation> sorted = new ArrayList<>(new LinkedHashSet<>(ops));
        sorted.sort(Comparator.comparingLong(Operation::invokeNanos));
        return sorted;
    }
}
