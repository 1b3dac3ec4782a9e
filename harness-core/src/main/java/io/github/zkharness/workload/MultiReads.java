package io.github.zkharness.workload;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checker;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkMultiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The workload's check of its {@code multi} group: every read sees all of one multi or none of it, and nothing from
 * the future. Each OK {@link ZkMultiClient#MULTI_READ} must return, for the keys it asked, either the initial value
 * of every key, or exactly the values of one {@link ZkMultiClient#MULTI} (OK or UNKNOWN) invoked before the read
 * completed. It relies on what the workload's multis do: each writes every key of the group, one value for all.
 *
 * <p>A read is not held to linearizability: its {@code sync} is not a quorum operation (ZOOKEEPER-1675), so a leader
 * cut off from its quorum that does not know it yet answers the sync and the read from its own, older state. Such a
 * read is stale but whole, which ZooKeeper allows; a read that mixes two multis, or returns what no multi wrote, is a
 * violation of multi's atomicity.
 */
final class MultiReads implements Checker {

    static final String NAME = "multi-atomic";

    private final String initial;

    MultiReads(String initial) {
        this.initial = Objects.requireNonNull(initial, "initial must not be null");
    }

    @Override
    public CheckResult check(History history) {
        List<Operation> ops = history.operations();
        List<Operation> writes = new ArrayList<>();
        for (Operation op : ops) {
            if (op.kind().equals(ZkMultiClient.MULTI) && op.outcome() != Outcome.FAIL && op.value() != null) {
                writes.add(op);
            }
        }
        int reads = 0;
        for (Operation read : ops) {
            if (!read.kind().equals(ZkMultiClient.MULTI_READ)
                    || read.outcome() != Outcome.OK
                    || read.result() == null) {
                continue;
            }
            reads++;
            SortedMap<String, String> seen = ZkMultiClient.decode(read.result());
            if (seen.values().stream().allMatch(initial::equals)) {
                continue;
            }
            boolean whole = writes.stream().anyMatch(w -> w.invokeNanos() < read.completeNanos() && wrote(w, seen));
            if (!whole) {
                List<Operation> involved = new ArrayList<>(List.of(read));
                writes.stream()
                        .filter(w -> ZkMultiClient.decode(Objects.requireNonNull(w.value())).entrySet().stream()
                                .anyMatch(e -> Objects.equals(seen.get(e.getKey()), e.getValue())))
                        .limit(3)
                        .forEach(involved::add);
                return CheckResult.invalid(
                        NAME,
                        read.key(),
                        read.describe() + " saw " + seen + ": no multi invoked before the read completed wrote"
                                + " these values together, and they are not all the initial value \"" + initial
                                + "\". A read of a multi's keys sees all of one multi or none of it.",
                        involved,
                        List.of());
            }
        }
        return CheckResult.valid(
                NAME,
                reads + " multi reads each saw all of one multi or none (the initial values), none from the future");
    }

    /** Whether {@code write} wrote exactly {@code seen}'s values to each of its keys. */
    private static boolean wrote(Operation write, SortedMap<String, String> seen) {
        SortedMap<String, String> values = ZkMultiClient.decode(Objects.requireNonNull(write.value()));
        for (Map.Entry<String, String> e : seen.entrySet()) {
            if (!values.containsKey(e.getKey()) || !Objects.equals(values.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
