package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkMultiClient;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * ZooKeeper's {@code multi()} as a {@link Model} for {@link Linearizability}: a group of keys (the children of one
 * znode, an operation's key) is one state, every key starting with the same initial value. A
 * {@link ZkMultiClient#MULTI} sets all its keys at once (its value, as {@link ZkMultiClient#encode} writes it); a
 * {@link ZkMultiClient#MULTI_READ} returns all its keys' values at once (its result), which must be the state's values
 * of those keys at one instant. So a multi is atomic: it takes effect entirely or not at all (an UNKNOWN one entirely
 * at some point or never), and no read sees part of it, and the group is linearizable. A read that sees some of a
 * multi's keys written and others not cannot be linearized: INVALID, with that read and that multi in the
 * counterexample. The whole group is one partition; operations of other kinds cannot take effect.
 *
 * <pre>{@code
 * CheckResult r = Linearizability.of(MultiModel.startingWith("0")).named("multi-atomicity").check(history);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MultiModel implements Model<MultiModel.Group> {

    /**
     * The values of a group's keys; a key not in {@code values} holds the initial value.
     *
     * @param values the keys written so far and their values (null: absent), sorted
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Group(SortedMap<String, String> values) {

        /**
         * A group.
         *
         * @param values as the record component {@code values} above
         * @throws NullPointerException if {@code values} is null
         */
        public Group {
            values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        }

        /** The values, as {@link ZkMultiClient#encode} writes them (keys never written are left out). */
        @Override
        public String toString() {
            return "{" + ZkMultiClient.encode(values) + "}";
        }
    }

    private final @Nullable String initial;

    private MultiModel(@Nullable String initial) {
        this.initial = initial;
    }

    /**
     * A group whose keys start absent.
     *
     * @return the model
     */
    public static MultiModel absentInitially() {
        return new MultiModel(null);
    }

    /**
     * A group whose keys all start with {@code initial}, as {@link ZkMultiClient#createKeys} makes them.
     *
     * @param initial the initial value, or null for absent
     * @return the model
     */
    public static MultiModel startingWith(@Nullable String initial) {
        return new MultiModel(initial);
    }

    /** {@inheritDoc} */
    @Override
    public Group init() {
        return new Group(new TreeMap<>());
    }

    /** {@inheritDoc} */
    @Override
    public @Nullable Group step(Group state, Operation op) {
        if (op.kind().equals(ZkMultiClient.MULTI)) {
            Map<String, String> writes = decode(op.value());
            if (writes == null) {
                return null;
            }
            TreeMap<String, String> next = new TreeMap<>(state.values());
            next.putAll(writes);
            return next.equals(state.values()) ? state : new Group(next);
        }
        if (op.kind().equals(ZkMultiClient.MULTI_READ)) {
            if (op.outcome() != Outcome.OK) {
                return state;
            }
            Map<String, String> read = decode(op.result());
            if (read == null) {
                return null;
            }
            for (Map.Entry<String, String> e : read.entrySet()) {
                String now =
                        state.values().containsKey(e.getKey()) ? state.values().get(e.getKey()) : initial;
                if (!Operation.sameValue(now, e.getValue())) {
                    return null;
                }
            }
            return state;
        }
        return null;
    }

    private static @Nullable Map<String, String> decode(@Nullable String encoded) {
        if (encoded == null) {
            return null;
        }
        try {
            return ZkMultiClient.decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Multi reads never change the group. */
    @Override
    public boolean isReadOnly(Operation op) {
        return op.kind().equals(ZkMultiClient.MULTI_READ);
    }

    /** {@inheritDoc} */
    @Override
    public String describe(Group state) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, String> e : state.values().entrySet()) {
            s.append(s.length() == 1 ? "" : ", ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue() == null ? "absent" : '"' + e.getValue() + '"');
        }
        s.append(s.length() == 1 ? "every key " + (initial == null ? "absent" : '"' + initial + '"') : "")
                .append('}');
        if (s.length() > 1 && !state.values().isEmpty()) {
            s.setLength(s.length() - 1);
            s.append(", others ")
                    .append(initial == null ? "absent" : '"' + initial + '"')
                    .append('}');
        }
        return s.toString();
    }
}
