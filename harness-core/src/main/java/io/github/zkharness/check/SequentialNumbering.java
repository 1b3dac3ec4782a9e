package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkSequentialClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What ZooKeeper promises about sequential znodes, checked over the recorded
 * {@link ZkSequentialClient#CREATE_SEQUENTIAL} operations: under one parent (the operation's key)
 *
 * <ul>
 *   <li><b>unique</b>: no two OK creates got the same sequence number, and</li>
 *   <li><b>increasing in real time</b>: a create that completed before another was invoked got the smaller number
 *       (creates that overlap in time may get their numbers in either order).</li>
 * </ul>
 *
 * Together they are exactly linearizability against {@link SequentialZnodeModel} (a counter that only grows), checked
 * here in {@code O(n log n)} without a search. FAIL and UNKNOWN creates are left out (an UNKNOWN one's number was never
 * seen); numbers may skip. An OK create whose result does not end with ten digits is INVALID too. The counterexample
 * is the two creates in question.
 *
 * <pre>{@code
 * CheckResult r = SequentialNumbering.of().check(history);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SequentialNumbering implements Checker {

    private static final String NAME = "sequential-numbering";

    private SequentialNumbering() {}

    /**
     * The checker.
     *
     * @return the checker
     */
    public static SequentialNumbering of() {
        return new SequentialNumbering();
    }

    /** {@inheritDoc} */
    @Override
    public CheckResult check(History history) {
        return check(history.operations());
    }

    /**
     * Checks {@code operations} (a snapshot's, or any list of them).
     *
     * @param operations the operations
     * @return the result
     */
    public CheckResult check(List<Operation> operations) {
        Map<String, List<Operation>> byParent = new TreeMap<>();
        int unknown = 0;
        for (Operation op : operations) {
            if (!op.kind().equals(ZkSequentialClient.CREATE_SEQUENTIAL)) {
                continue;
            }
            if (op.outcome() == Outcome.UNKNOWN) {
                unknown++;
            }
            if (op.outcome() == Outcome.OK) {
                byParent.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        int ok = 0;
        for (Map.Entry<String, List<Operation>> parent : byParent.entrySet()) {
            CheckResult r = check(parent.getKey(), parent.getValue());
            if (r != null) {
                return r;
            }
            ok += parent.getValue().size();
        }
        return CheckResult.valid(
                NAME,
                ok + " OK sequential creates under " + byParent.size() + " parents got unique numbers that increase"
                        + " in real time (" + unknown + " unknown creates left out)");
    }

    /** Null if the parent's creates are fine, else the INVALID result. */
    @SuppressWarnings("NullAway") // numbers.get(id): every create in the loop below was numbered above
    private static @Nullable CheckResult check(String parent, List<Operation> creates) {
        Map<Long, Operation> byNumber = new HashMap<>();
        Map<Long, Long> numbers = new HashMap<>();
        for (Operation op : creates) {
            long n;
            try {
                n = ZkSequentialClient.sequenceNumber(String.valueOf(op.result()));
            } catch (IllegalArgumentException e) {
                return CheckResult.invalid(
                        NAME,
                        parent,
                        "under " + parent + ", the OK create #" + op.id() + " returned "
                                + (op.result() == null ? "no name" : "\"" + op.result() + "\"")
                                + ", which does not end with a ten-digit sequence number",
                        List.of(op),
                        List.of());
            }
            numbers.put(op.id(), n);
            Operation other = byNumber.putIfAbsent(n, op);
            if (other != null) {
                return CheckResult.invalid(
                        NAME,
                        parent,
                        "sequence number " + n + " was handed out twice under " + parent + ": to #" + other.id()
                                + " (p" + other.process() + ", " + other.result() + ") and to #" + op.id() + " (p"
                                + op.process() + ", " + op.result() + "); a parent's numbers are unique",
                        order(other, op),
                        List.of());
            }
        }
        // sweep the invocations in time order, with the largest number of the creates completed strictly before
        List<Operation> byInvoke = new ArrayList<>(creates);
        byInvoke.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id));
        List<Operation> byComplete = new ArrayList<>(creates);
        byComplete.sort(Comparator.comparingLong(Operation::completeNanos).thenComparingLong(Operation::id));
        Operation largest = null;
        int done = 0;
        for (Operation op : byInvoke) {
            while (done < byComplete.size() && byComplete.get(done).completeNanos() < op.invokeNanos()) {
                Operation finished = byComplete.get(done++);
                if (largest == null || numbers.get(finished.id()) > numbers.get(largest.id())) {
                    largest = finished;
                }
            }
            if (largest != null && numbers.get(largest.id()) > numbers.get(op.id())) {
                return CheckResult.invalid(
                        NAME,
                        parent,
                        "sequence numbers under " + parent + " went back in real time: #" + largest.id() + " (p"
                                + largest.process() + ") got " + numbers.get(largest.id()) + " ("
                                + largest.result() + ") and completed at " + ms(largest.completeNanos())
                                + ", before #" + op.id() + " (p" + op.process() + ") was invoked at "
                                + ms(op.invokeNanos()) + ", which got the smaller " + numbers.get(op.id()) + " ("
                                + op.result() + "); a create that completed before another began must get the"
                                + " smaller number",
                        List.of(largest, op),
                        List.of());
            }
        }
        return null;
    }

    private static List<Operation> order(Operation a, Operation b) {
        return a.invokeNanos() <= b.invokeNanos() ? List.of(a, b) : List.of(b, a);
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
