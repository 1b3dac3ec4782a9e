package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Linearizability of a history against a {@link Model}: is there one order of the operations that respects real time
 * (an operation that completed before another was invoked comes first) and in which every operation does what the
 * model says (every OK read returns the value of the latest write before it)?
 *
 * <p>The search is Wing and Gong's, in Lowe's just-in-time form (as Porcupine and Knossos's linear checker do): walk
 * the invocations and completions in time order, tentatively put an invoked operation next in the order if the model
 * allows it, backtrack when an operation completes without having been put; remember every (set of operations put,
 * state) pair already explored so no subtree is searched twice. Operations that touch (one completes at the instant
 * the other is invoked) are concurrent. The history is split by {@link Model#partition} (per key for the register)
 * and each part checked on its own, which is sound for a model whose parts are independent (P-compositionality).
 *
 * <p>Every part is checked, on as many threads as {@link #threads} allows (by default the available processors): each
 * part first gets a short search, the smallest parts first, and the parts not decided by it get searches twice as long
 * in turn, so one hard part does not hide an illegal one. The result is INVALID as soon as one part is found illegal (the first found), VALID
 * when every part is linearizable, and UNKNOWN only when no part is illegal and some are undecided when the time limit
 * (default 30 s) or the step limit runs out; it never hangs. The step limit is exact: the search takes at most that
 * many steps over all parts, and gives a part up only once they are all taken.
 *
 * <p>Reads served read-only ({@link OpKind#READ_ONLY_READ}) are left out of the search: a server in ZooKeeper's
 * read-only mode answers from the state it had when it lost its quorum, so such a read says nothing about the order of
 * the writes. Against {@link RegisterModel} each OK one is checked on its own: it returned the initial value or a value
 * that a write or CAS of its key (OK or UNKNOWN) wrote, invoked before the read completed; otherwise the result is
 * INVALID with that read and, if any, the failed writes of its value as the counterexample.
 *
 * <p>FAIL operations are left out (they did not happen). An UNKNOWN operation may take effect at any point after its
 * invocation or never: it has no completion, and the search succeeds once every OK operation is placed.
 *
 * <p>When INVALID, the counterexample is a minimal one: operations of the illegal part that cannot be linearized even
 * if any of the part's other operations did not happen (each of those either took effect within its interval, as
 * recorded, or not at all), and such that letting any one of them not happen as well makes the part linearizable. It
 * is found by shrinking (delta debugging) within 5 s and the time limit; the explanation says whether it was shown
 * minimal in that budget (otherwise it is a smaller counterexample, still one), lists it, and names the longest order
 * the search found and the operation that
 * could not follow it.
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
    private static final Duration SHRINK_TIME = Duration.ofSeconds(5);

    private final Model<S> model;
    private final Predicate<Operation> filter;
    private final Duration timeLimit;
    private final long maxSteps;
    private final String name;
    private final int threads;

    private Linearizability(
            Model<S> model, Predicate<Operation> filter, Duration timeLimit, long maxSteps, String name, int threads) {
        this.model = model;
        this.filter = filter;
        this.timeLimit = timeLimit;
        this.maxSteps = maxSteps;
        this.name = name;
        this.threads = threads;
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
        return new Linearizability<>(
                model,
                op -> true,
                DEFAULT_TIME_LIMIT,
                Long.MAX_VALUE,
                "linearizability",
                Runtime.getRuntime().availableProcessors());
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
        return new Linearizability<>(model, filter, timeLimit, maxSteps, name, threads);
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
        return new Linearizability<>(model, filter, limit, maxSteps, name, threads);
    }

    /**
     * A copy whose search gives up (UNKNOWN) after exactly {@code steps} search steps in total over every part, if
     * no part was found illegal and some are undecided by then (a step tries one operation, or reaches one completion).
     * Shrinking a counterexample is not counted.
     *
     * @param steps at least 1
     * @return the new checker
     * @throws IllegalArgumentException if steps is less than 1
     */
    public Linearizability<S> maxSteps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, got " + steps);
        }
        return new Linearizability<>(model, filter, timeLimit, steps, name, threads);
    }

    /**
     * A copy that searches on at most {@code count} threads at once, the calling thread included (default: the
     * available processors); with 1 every part is searched on the calling thread.
     *
     * @param count at least 1
     * @return the new checker
     * @throws IllegalArgumentException if count is less than 1
     */
    public Linearizability<S> threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        return new Linearizability<>(model, filter, timeLimit, maxSteps, name, count);
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
        return new Linearizability<>(model, filter, timeLimit, maxSteps, name, threads);
    }

    /**
     * Checks a snapshot of the history's operations. When INVALID, the explanation ends with the faults in force (their
     * action or effect) at some point while the counterexample's operations ran, or says that none was, and the
     * result's {@link CheckResult#events()} are those faults' start events.
     */
    @Override
    public CheckResult check(History history) {
        CheckResult result = check(history.operations());
        if (result.verdict() != Verdict.INVALID || result.counterexample().isEmpty()) {
            return result;
        }
        // which faults were in force while the counterexample's operations ran (crashes, power losses, partitions)
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Operation op : result.counterexample()) {
            from = Math.min(from, op.invokeNanos());
            to = Math.max(to, op.completeNanos() < 0 ? Long.MAX_VALUE : op.completeNanos());
        }
        List<Faults.Band> inForce = Faults.inForce(history.events(), from, to);
        StringBuilder faults = new StringBuilder();
        for (Faults.Band band : inForce) {
            faults.append(faults.length() == 0 ? "" : ", ").append(band.describe());
        }
        String explanation = result.explanation()
                + (inForce.isEmpty()
                        ? "\nNo fault was in force while these operations ran."
                        : "\nFaults in force while these operations ran: " + faults + ".");
        return CheckResult.invalid(
                result.checker(),
                result.key().orElse(null),
                explanation,
                result.counterexample(),
                inForce.stream().map(Faults.Band::start).toList());
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
        Grouping<S> grouping = new Grouping<>(model, filter);
        // one call per operation from a loop over an array: the JIT compiles the call within the first check, where
        // a loop over the list with the body inlined, entered once per check, would stay interpreted for several
        for (Operation op : operations.toArray(new Operation[0])) {
            grouping.add(op);
        }
        Map<String, List<Operation>> parts = new TreeMap<>(grouping.byKey);
        List<Operation> readOnlyReads = grouping.readOnlyReads;
        int unknown = grouping.unknown;
        int total = grouping.total;
        if (model instanceof RegisterModel register) {
            CheckResult unwritten = unwrittenRead(register, readOnlyReads, operations);
            if (unwritten != null) {
                return new Found(unwritten, Map.of());
            }
        }
        PartitionScheduler<S> scheduler = new PartitionScheduler<>(model, parts, deadline, maxSteps);
        PartitionScheduler.Why why = scheduler.run(threads);
        long steps = scheduler.steps();
        if (why == PartitionScheduler.Why.INVALID) {
            return new Found(invalid(scheduler.invalid(), steps), Map.of());
        }
        if (why != PartitionScheduler.Why.DECIDED) {
            List<String> undecided = new ArrayList<>();
            PartitionScheduler.Part<S> first = null;
            for (PartitionScheduler.Part<S> p : scheduler.parts().values()) {
                if (p.state == PartitionSearch.State.PAUSED) {
                    undecided.add(p.key);
                    first = first == null ? p : first;
                }
            }
            String cause = switch (why) {
                case TIME_LIMIT -> "the time limit of " + timeLimit.toMillis() + " ms ran out";
                case STEP_LIMIT -> "the step limit of " + maxSteps + " ran out";
                default -> "the thread was interrupted";
            };
            return new Found(
                    CheckResult.unknown(
                            name,
                            first == null ? null : first.key,
                            "no key is illegal, but " + undecided.size() + " of " + parts.size()
                                    + " keys are undecided (" + String.join(", ", head(undecided))
                                    + ") after " + steps + " search steps in total: " + cause
                                    + (first == null
                                            ? ""
                                            : "; on key " + first.key + " (" + first.ops.size()
                                                    + " operations) the longest order found placed "
                                                    + Math.max(0, first.search.bestDepth) + " operations")),
                    Map.of());
        }
        Map<String, List<Operation>> orders = new TreeMap<>();
        for (PartitionScheduler.Part<S> p : scheduler.parts().values()) {
            orders.put(p.key, p.search.order());
        }
        return new Found(
                CheckResult.linearized(
                        name,
                        total + " operations (" + unknown + " of them unknown) on " + parts.size()
                                + " keys are linearizable (" + steps + " search steps)"
                                + (readOnlyReads.isEmpty()
                                        ? ""
                                        : "; " + readOnlyReads.size() + " reads served read-only left out"),
                        orders),
                orders);
    }

    /** The operations to search, by partition (grouped in a hash map, sorted by the caller once), and the others. */
    private static final class Grouping<S> {
        private final Model<S> model;
        private final Predicate<Operation> filter;
        final Map<String, List<Operation>> byKey = new HashMap<>();
        final List<Operation> readOnlyReads = new ArrayList<>();
        int unknown;
        int total;

        Grouping(Model<S> model, Predicate<Operation> filter) {
            this.model = model;
            this.filter = filter;
        }

        void add(Operation op) {
            if (!filter.test(op) || op.outcome() == Outcome.FAIL) {
                return;
            }
            if (op.kind().equals(OpKind.READ_ONLY_READ)) {
                readOnlyReads.add(op);
                return;
            }
            if (op.outcome() == Outcome.UNKNOWN && model.isReadOnly(op)) {
                return;
            }
            if (op.outcome() == Outcome.UNKNOWN) {
                unknown++;
            }
            total++;
            String key = model.partition(op);
            List<Operation> part = byKey.get(key);
            if (part == null) {
                part = new ArrayList<>();
                byKey.put(key, part);
            }
            part.add(op);
        }
    }

    /** The first OK read-only read that returned a value no write may have written before it completed, or null. */
    private @Nullable CheckResult unwrittenRead(
            RegisterModel register, List<Operation> reads, List<Operation> operations) {
        for (Operation r : reads) {
            if (r.outcome() != Outcome.OK
                    || Operation.sameValue(r.result(), register.init().value())) {
                continue;
            }
            List<Operation> failed = new ArrayList<>();
            boolean written = false;
            for (Operation w : operations) {
                if (!(w.kind().equals(OpKind.WRITE) || w.kind().equals(OpKind.CAS))
                        || !w.key().equals(r.key())
                        || !Operation.sameValue(w.value(), r.result())
                        || !filter.test(w)) {
                    continue;
                }
                if (w.outcome() == Outcome.FAIL) {
                    failed.add(w);
                } else if (w.invokeNanos() <= r.completeNanos()) {
                    written = true;
                    break;
                }
            }
            if (!written) {
                List<Operation> involved = new ArrayList<>(List.of(r));
                involved.addAll(failed.subList(0, Math.min(3, failed.size())));
                return CheckResult.invalid(
                        name,
                        r.key(),
                        r.describe() + " was served read-only, so it may be stale, but it returned a value that no"
                                + " write which may have taken effect before it completed wrote"
                                + (failed.isEmpty() ? "" : " (only writes that failed did)")
                                + ", and not the initial value either.",
                        involved,
                        List.of());
            }
        }
        return null;
    }

    private static List<String> head(List<String> keys) {
        if (keys.size() <= 5) {
            return keys;
        }
        List<String> head = new ArrayList<>(keys.subList(0, 5));
        head.add("...");
        return head;
    }

    private CheckResult invalid(PartitionScheduler.Part<S> part, long steps) {
        PartitionSearch<S> s = part.search;
        long shrinkStart = System.nanoTime();
        long shrinkDeadline = shrinkStart + Math.min(SHRINK_TIME.toNanos(), timeLimit.toNanos());
        Shrinker.Core core = new Shrinker<>(model, shrinkDeadline).shrink(part.ops, s.furthestStuckNanos);
        long shrinkMicros = (System.nanoTime() - shrinkStart) / 1_000;
        List<Operation> prefix = s.bestPrefix();
        String explanation =
                "not linearizable: on key " + part.key + ", these " + core.ops().size()
                        + " operations cannot be linearized even if any other operation on the key did not happen ("
                        + (core.minimal()
                                ? "a minimal counterexample: if any one of them did not happen either, the key is"
                                        + " linearizable"
                                : "shrunk within its budget, not shown to be minimal")
                        + "; " + core.tests() + " searches in " + shrinkMicros / 1000.0 + " ms): " + ids(core.ops())
                        + ". The search (" + steps + " steps) found no order of the key's " + part.ops.size()
                        + " operations longer than " + prefix.size()
                        + (prefix.isEmpty()
                                ? ""
                                : ", ending with " + ids(prefix.subList(Math.max(0, prefix.size() - 3), prefix.size())))
                        + " in state " + s.describeBest() + ", after which " + s.bestStuck.describe()
                        + " could not take effect before it completed.";
        return CheckResult.invalid(name, part.key, explanation, core.ops(), List.of());
    }

    private static String ids(List<Operation> ops) {
        StringBuilder s = new StringBuilder();
        for (Operation o : ops) {
            s.append(s.length() == 0 ? "" : ", ").append('#').append(o.id());
        }
        return s.toString();
    }
}
