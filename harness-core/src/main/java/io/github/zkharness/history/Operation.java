package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One client operation as a history snapshot saw it: who invoked what on which key, when, and how it ended.
 *
 * <p>Values are strings; {@code null} means "absent" (a register that was never written, a znode that does not
 * exist).
 *
 * @param id the entry's number in its history
 * @param process the client (process) that ran it; one process runs one operation at a time
 * @param kind what it does
 * @param key the key (register, znode) it works on, non-null
 * @param value the value it writes (a write or CAS), or null
 * @param expected for a CAS, the value it expects to find; otherwise null
 * @param outcome how it ended
 * @param result what it returned when OK (a read's value), or null
 * @param reason why it failed or is unknown (an exception's name, "not completed"), or null when OK
 * @param invokeNanos when it was invoked, in nanoseconds since the history started
 * @param completeNanos when it completed, in nanoseconds since the history started; {@code -1} if it never completed
 *     (then its outcome is UNKNOWN)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Operation(
        long id,
        int process,
        OpKind kind,
        String key,
        @Nullable String value,
        @Nullable String expected,
        Outcome outcome,
        @Nullable String result,
        @Nullable String reason,
        long invokeNanos,
        long completeNanos)
        implements Entry {

    /**
     * An operation.
     *
     * @param id as the record component {@code id} above
     * @param process as the record component {@code process} above
     * @param kind as the record component {@code kind} above
     * @param key as the record component {@code key} above
     * @param value as the record component {@code value} above
     * @param expected as the record component {@code expected} above
     * @param outcome as the record component {@code outcome} above
     * @param result as the record component {@code result} above
     * @param reason as the record component {@code reason} above
     * @param invokeNanos as the record component {@code invokeNanos} above
     * @param completeNanos as the record component {@code completeNanos} above
     *
     * @throws IllegalArgumentException if kind, key or outcome is null, a time is negative (but completeNanos -1), the
     *     completion is before the invocation, or an operation without completion is not UNKNOWN
     */
    public Operation {
        if (kind == null || key == null || outcome == null) {
            throw new IllegalArgumentException("an operation needs a kind, a key and an outcome; got kind=" + kind
                    + " key=" + key + " outcome=" + outcome);
        }
        if (invokeNanos < 0) {
            throw new IllegalArgumentException("invokeNanos must be >= 0, got " + invokeNanos);
        }
        if (completeNanos != -1 && completeNanos < invokeNanos) {
            throw new IllegalArgumentException("completeNanos must be -1 (never completed) or >= invokeNanos ("
                    + invokeNanos + "), got " + completeNanos);
        }
        if (completeNanos == -1 && outcome != Outcome.UNKNOWN) {
            throw new IllegalArgumentException("an operation that never completed is UNKNOWN, got " + outcome);
        }
    }

    /** The invocation time (same as {@link #invokeNanos()}). */
    @Override
    public long startNanos() {
        return invokeNanos;
    }

    /**
     * Whether it completed (ok, fail or unknown) before the snapshot was taken.
     *
     * @return false if it was still running or was abandoned
     */
    public boolean completed() {
        return completeNanos >= 0;
    }

    /**
     * The completion time for ordering: {@link #completeNanos()}, or {@link Long#MAX_VALUE} if it never completed or
     * is UNKNOWN (an unknown operation may take effect at any time after its invocation).
     *
     * @return nanoseconds since the history started
     */
    public long effectiveEndNanos() {
        return outcome == Outcome.UNKNOWN || completeNanos < 0 ? Long.MAX_VALUE : completeNanos;
    }

    /**
     * A one-line description for failure messages, e.g. {@code #12 p3 cas k1 "1"->"2" OK [1.204 ms .. 1.530 ms]}.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append('#')
                .append(id)
                .append(" p")
                .append(process)
                .append(' ')
                .append(kind.name())
                .append(' ')
                .append(key);
        if (kind.equals(OpKind.CAS)) {
            s.append(' ').append(quote(expected)).append("->").append(quote(value));
        } else if (value != null || !kind.isRead()) {
            s.append(' ').append(quote(value));
        }
        s.append(' ').append(outcome);
        if (outcome == Outcome.OK && (result != null || kind.isRead())) {
            s.append(" -> ").append(quote(result));
        }
        if (reason != null && outcome != Outcome.OK) {
            s.append(" (").append(reason).append(')');
        }
        s.append(" [")
                .append(millis(invokeNanos))
                .append(" .. ")
                .append(completeNanos < 0 ? "never" : millis(completeNanos))
                .append(']');
        return s.toString();
    }

    /** Same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    static String quote(@Nullable String v) {
        return v == null ? "absent" : '"' + v + '"';
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    /**
     * Whether {@code a} and {@code b} are the same value (both absent, or equal strings).
     *
     * @param a a value or null
     * @param b a value or null
     * @return true if equal
     */
    public static boolean sameValue(@Nullable String a, @Nullable String b) {
        return Objects.equals(a, b);
    }
}
