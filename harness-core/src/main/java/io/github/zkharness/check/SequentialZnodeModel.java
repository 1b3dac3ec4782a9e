package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkSequentialClient;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * ZooKeeper's sequential znodes as a {@link Model} for {@link Linearizability}: each parent (an operation's key) hands
 * out sequence numbers that only grow, so in the order the creates took effect each OK
 * {@link ZkSequentialClient#CREATE_SEQUENTIAL} got a larger number than every create before it under the same parent
 * (which also makes the numbers unique). Numbers may skip: ZooKeeper's counter is the parent's child version, which
 * every create and delete of a child raises, and an UNKNOWN create may have taken one nobody saw. The state is the
 * largest number handed out so far; an UNKNOWN create tells nothing about it and is left out
 * ({@link #isReadOnly}). Operations of other kinds, and OK creates whose result does not end with ten digits, cannot
 * take effect.
 *
 * <p>{@link SequentialNumbering} checks the same property directly and faster, with an explanation that names the
 * two creates out of order; this model is for combining with other checks of {@code Linearizability}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SequentialZnodeModel implements Model<SequentialZnodeModel.Counter> {

    /**
     * The largest sequence number handed out under one parent so far, -1 before the first.
     *
     * @param last the number
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Counter(long last) {
        /** {@code last number N}, or {@code no number yet}. */
        @Override
        public String toString() {
            return last < 0 ? "no number yet" : "last number " + last;
        }
    }

    /** The model. */
    public SequentialZnodeModel() {}

    /** {@inheritDoc} */
    @Override
    public Counter init() {
        return new Counter(-1);
    }

    /** {@inheritDoc} */
    @Override
    public @Nullable Counter step(Counter state, Operation op) {
        if (!op.kind().equals(ZkSequentialClient.CREATE_SEQUENTIAL)) {
            return null;
        }
        if (op.outcome() != Outcome.OK) {
            return state;
        }
        long n;
        try {
            n = ZkSequentialClient.sequenceNumber(String.valueOf(op.result()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return n > state.last() ? new Counter(n) : null;
    }

    /** An UNKNOWN create tells nothing: its number, if it took one, was never seen. */
    @Override
    public boolean isReadOnly(Operation op) {
        return op.kind().equals(ZkSequentialClient.CREATE_SEQUENTIAL) && op.outcome() == Outcome.UNKNOWN;
    }

    /** {@inheritDoc} */
    @Override
    public String describe(Counter state) {
        return state.toString();
    }
}
