package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.Operation;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A sequential specification for {@link Linearizability}: a start state and what each operation does to a state.
 * Small on purpose, like Porcupine's: {@link #init()}, {@link #step}, equality through the state's own
 * {@code equals}/{@code hashCode}, and {@link #describe}.
 *
 * <p>States must be non-null immutable values with {@code equals} and {@code hashCode} (a record is ideal): the search
 * remembers (operations done, state) pairs it has seen.
 *
 * <p>The checker gives {@link #step} only operations that are {@code OK} or {@code UNKNOWN} ({@code FAIL} ones did not
 * happen). For an {@code UNKNOWN} operation the result is not known: {@code step} must accept it whenever it could
 * have taken effect in that state, without looking at its result.
 *
 * @param <S> the state type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Model<S> {

    /**
     * The state before any operation.
     *
     * @return the initial state, non-null
     */
    S init();

    /**
     * The state after {@code op} takes effect in {@code state}, or null if it cannot take effect there (an OK read
     * whose result differs from the state, a CAS whose expected value differs).
     *
     * @param state the current state
     * @param op the operation (OK or UNKNOWN)
     * @return the next state, or null
     */
    @Nullable
    S step(S state, Operation op);

    /**
     * Which independent part of the state {@code op} touches; operations of different parts are checked separately
     * (P-compositionality). The default is the operation's key.
     *
     * @param op an operation
     * @return the partition's name
     */
    default String partition(Operation op) {
        return op.key();
    }

    /**
     * Whether {@code op} never changes the state (a read). An UNKNOWN read-only operation tells nothing and is left
     * out of the search. The default: no operation is read-only.
     *
     * @param op an operation
     * @return true if it cannot change the state
     */
    default boolean isReadOnly(Operation op) {
        return false;
    }

    /**
     * A state for explanations.
     *
     * @param state a state
     * @return its description
     */
    default String describe(S state) {
        return String.valueOf(state);
    }
}
