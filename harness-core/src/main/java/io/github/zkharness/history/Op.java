package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A running operation, returned by {@link History#invoke}: complete it exactly once with {@link #ok()},
 * {@link #ok(String)}, {@link #fail(String)} or {@link #unknown(String)}. An operation never completed counts as
 * {@link Outcome#UNKNOWN} in every snapshot.
 *
 * <p>Completing is lock-free and cheap; any thread may complete it (usually the one that invoked it).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Op {

    private static final AtomicIntegerFieldUpdater<Op> CLAIM =
            AtomicIntegerFieldUpdater.newUpdater(Op.class, "claimed");

    private final long id;
    private final int process;
    private final OpKind kind;
    private final String key;
    private final @Nullable String value;
    private final @Nullable String expected;
    private final long invokeNanos;
    private final History history;

    @SuppressWarnings("unused") // through CLAIM
    private volatile int claimed;

    private @Nullable String result;
    private @Nullable String reason;
    private long completeNanos = -1;
    /** Written last (volatile): a reader that sees it sees the fields above. */
    private volatile @Nullable Outcome outcome;

    Op(
            History history,
            long id,
            int process,
            OpKind kind,
            String key,
            @Nullable String value,
            @Nullable String expected,
            long invokeNanos) {
        this.history = history;
        this.id = id;
        this.process = process;
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.expected = expected;
        this.invokeNanos = invokeNanos;
    }

    /**
     * It happened, with no result to record (a write, a CAS).
     *
     * @return the completed operation
     * @throws IllegalStateException if it was already completed
     */
    public Operation ok() {
        return complete(Outcome.OK, null, null, history.nowNanos());
    }

    /**
     * It happened and returned {@code result} (a read's value; null = absent).
     *
     * @param result the value returned, or null for absent
     * @return the completed operation
     * @throws IllegalStateException if it was already completed
     */
    public Operation ok(@Nullable String result) {
        return complete(Outcome.OK, result, null, history.nowNanos());
    }

    /**
     * It definitely did not happen.
     *
     * @param reason why (an exception's name, "version mismatch"), for the timeline and failure messages
     * @return the completed operation
     * @throws IllegalStateException if it was already completed
     */
    public Operation fail(String reason) {
        return complete(Outcome.FAIL, null, reason, history.nowNanos());
    }

    /**
     * It may or may not have happened (for example the connection was lost after the request was sent).
     *
     * @param reason why it is unknown
     * @return the completed operation
     * @throws IllegalStateException if it was already completed
     */
    public Operation unknown(String reason) {
        return complete(Outcome.UNKNOWN, null, reason, history.nowNanos());
    }

    /**
     * Completes with {@code outcome}; for {@link Outcome#OK} {@code detail} is the result, otherwise the reason.
     *
     * @param outcome how it ended, non-null
     * @param detail the result (OK) or the reason (FAIL, UNKNOWN)
     * @return the completed operation
     * @throws IllegalStateException if it was already completed
     * @throws IllegalArgumentException if outcome is null
     */
    public Operation complete(Outcome outcome, @Nullable String detail) {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome must not be null");
        }
        return outcome == Outcome.OK
                ? complete(outcome, detail, null, history.nowNanos())
                : complete(outcome, null, detail, history.nowNanos());
    }

    private Operation complete(Outcome o, @Nullable String result, @Nullable String reason, long now) {
        if (!CLAIM.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("operation " + describeInvocation() + " was already completed");
        }
        this.result = result;
        this.reason = reason;
        this.completeNanos = Math.max(now, invokeNanos);
        this.outcome = o;
        return snapshot();
    }

    /**
     * Whether it has been completed.
     *
     * @return true once ok/fail/unknown was called
     */
    public boolean isCompleted() {
        return outcome != null;
    }

    /**
     * The operation as it stands: completed, or UNKNOWN with reason "not completed" and no completion time.
     *
     * @return an immutable snapshot
     */
    public Operation snapshot() {
        Outcome o = outcome;
        if (o == null) {
            return new Operation(
                    id, process, kind, key, value, expected, Outcome.UNKNOWN, null, "not completed", invokeNanos, -1);
        }
        return new Operation(id, process, kind, key, value, expected, o, result, reason, invokeNanos, completeNanos);
    }

    /**
     * The operation's number in its history.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    private String describeInvocation() {
        return "#" + id + " p" + process + " " + kind + " " + key;
    }

    /** A description of the operation as it stands. */
    @Override
    public String toString() {
        return snapshot().describe();
    }
}
