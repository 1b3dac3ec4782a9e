package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A key/value register with compare-and-set, one register per key (a znode's data): {@link OpKind#READ} and
 * {@link OpKind#SYNC_READ} return the current value, {@link OpKind#WRITE} sets it, {@link OpKind#CAS} sets it only if
 * it equals the expected value. Every register starts with the initial value (by default absent, {@code null}).
 * {@link OpKind#READ_ONLY_READ} may be stale by any amount: it takes effect in every state and changes nothing.
 * Operations of other kinds cannot take effect.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RegisterModel implements Model<RegisterModel.Value> {

    /**
     * A register's value; {@code value} null means absent.
     *
     * @param value the value, or null
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Value(@Nullable String value) {
        /**
         * Equal when the values are equal, as a record's equality is; written out so that the search, which compares
         * and hashes states on every step, calls no generated code.
         *
         * @param o another object
         * @return true if it is a {@code Value} holding an equal value
         */
        @Override
        public final boolean equals(@Nullable Object o) {
            return this == o || (o instanceof Value v && Objects.equals(value, v.value));
        }

        /**
         * The value's hash (0 when absent).
         *
         * @return the hash
         */
        @Override
        public final int hashCode() {
            return Objects.hashCode(value);
        }

        /** The value, quoted, or {@code absent}. */
        @Override
        public String toString() {
            return value == null ? "absent" : '"' + value + '"';
        }
    }

    private final Value initial;

    private RegisterModel(@Nullable String initial) {
        this.initial = new Value(initial);
    }

    /**
     * Registers that start absent ({@code null}), like znodes not yet created.
     *
     * @return the model
     */
    public static RegisterModel absentInitially() {
        return new RegisterModel(null);
    }

    /**
     * Registers that start with {@code initial}.
     *
     * @param initial the initial value, or null for absent
     * @return the model
     */
    public static RegisterModel startingWith(@Nullable String initial) {
        return new RegisterModel(initial);
    }

    /** {@inheritDoc} */
    @Override
    public Value init() {
        return initial;
    }

    /** {@inheritDoc} */
    @Override
    public @Nullable Value step(Value state, Operation op) {
        OpKind kind = op.kind();
        if (kind.isRead()) {
            if (op.outcome() == Outcome.UNKNOWN || kind.equals(OpKind.READ_ONLY_READ)) {
                return state;
            }
            return Operation.sameValue(state.value(), op.result()) ? state : null;
        }
        if (kind.equals(OpKind.WRITE)) {
            return Operation.sameValue(state.value(), op.value()) ? state : new Value(op.value());
        }
        if (kind.equals(OpKind.CAS)) {
            if (!Operation.sameValue(state.value(), op.expected())) {
                return null;
            }
            return Operation.sameValue(state.value(), op.value()) ? state : new Value(op.value());
        }
        return null;
    }

    /** Reads never change a register. */
    @Override
    public boolean isReadOnly(Operation op) {
        return op.kind().isRead();
    }

    /** {@inheritDoc} */
    @Override
    public String describe(Value state) {
        return state.toString();
    }
}
