package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Hand-made operations and events for a history written out in a test or a bug report, without
 * {@link Operation}'s eleven-argument constructor. Each entry takes the next id, from 0, in the order it is made,
 * so the entries of one {@code Operations} never share an id and can go to {@link History#of} as they are.
 *
 * <pre>{@code
 * Operations ops = new Operations();
 * History history = History.of(List.of(
 *         ops.write(1, "x", "1").between(0, 10).ok(),
 *         ops.read(2, "x").between(5, 12).ok("1"),
 *         ops.cas(3, "x", "1", "2").between(20, 30).unknown("ConnectionLoss"),
 *         ops.event(40, "chaos", History.FAULT_START, "isolate node 1")));
 * }</pre>
 *
 * <p>Times are nanoseconds on the history's clock. An instance is not thread-safe: build a history from one thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Operations {

    private long next;

    /** Hands out ids from 0. */
    public Operations() {}

    /**
     * A read of {@code key} ({@link OpKind#READ}) by {@code process}.
     *
     * @param process the process
     * @param key the key
     * @return the builder; finish it with {@link Builder#between} and an outcome
     * @throws NullPointerException if {@code key} is null
     */
    public Builder read(int process, String key) {
        return of(process, OpKind.READ, key, null);
    }

    /**
     * A read of {@code key} served read-only ({@link OpKind#READ_ONLY_READ}) by {@code process}.
     *
     * @param process the process
     * @param key the key
     * @return the builder
     * @throws NullPointerException if {@code key} is null
     */
    public Builder readOnlyRead(int process, String key) {
        return of(process, OpKind.READ_ONLY_READ, key, null);
    }

    /**
     * An unconditional write of {@code value} to {@code key} ({@link OpKind#WRITE}) by {@code process}.
     *
     * @param process the process
     * @param key the key
     * @param value the value written (null: absent)
     * @return the builder
     * @throws NullPointerException if {@code key} is null
     */
    public Builder write(int process, String key, String value) {
        return of(process, OpKind.WRITE, key, value);
    }

    /**
     * A compare-and-set ({@link OpKind#CAS}) by {@code process}: {@code key} from {@code expected} to {@code value}.
     *
     * @param process the process
     * @param key the key
     * @param expected the value it must hold (null: absent)
     * @param value the value written
     * @return the builder
     * @throws NullPointerException if {@code key} is null
     */
    public Builder cas(int process, String key, @Nullable String expected, String value) {
        Builder b = of(process, OpKind.CAS, key, value);
        b.expected = expected;
        return b;
    }

    /**
     * An operation of any kind (a user's own model's) by {@code process}.
     *
     * @param process the process
     * @param kind what it does
     * @param key the key
     * @param value the value it carries, or null
     * @return the builder
     * @throws NullPointerException if {@code kind} or {@code key} is null
     */
    public Builder of(int process, OpKind kind, String key, @Nullable String value) {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(key, "key must not be null");
        return new Builder(next++, process, kind, key, value);
    }

    /**
     * An event at {@code timeNanos}, with the next id.
     *
     * @param timeNanos when it happened
     * @param source who or what it is about ("chaos", "node-2", "process-3")
     * @param kind what happened ({@link History#FAULT_START}, {@link History#LOCK_ACQUIRED}, ...)
     * @param description the details
     * @return the event
     * @throws IllegalArgumentException as {@link Event}'s constructor
     */
    public Event event(long timeNanos, String source, String kind, String description) {
        Event e = new Event(next, timeNanos, source, kind, description);
        next++;
        return e;
    }

    /** One operation being made: give it its times, then end it with an outcome. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final class Builder {

        private final long id;
        private final int process;
        private final OpKind kind;
        private final String key;
        private final @Nullable String value;
        private @Nullable String expected;
        private long invokeNanos = -1;
        private long completeNanos = -1;

        private Builder(long id, int process, OpKind kind, String key, @Nullable String value) {
            this.id = id;
            this.process = process;
            this.kind = kind;
            this.key = key;
            this.value = value;
        }

        /**
         * When it was invoked and when it completed.
         *
         * @param invokeNanos the invocation, at least 0
         * @param completeNanos the completion, at least {@code invokeNanos}
         * @return this builder
         * @throws IllegalArgumentException naming the times if {@code invokeNanos} is negative or
         *     {@code completeNanos} is before it
         */
        public Builder between(long invokeNanos, long completeNanos) {
            if (invokeNanos < 0 || completeNanos < invokeNanos) {
                throw new IllegalArgumentException("an operation runs from invokeNanos >= 0 to completeNanos >="
                        + " invokeNanos, got " + invokeNanos + " to " + completeNanos);
            }
            this.invokeNanos = invokeNanos;
            this.completeNanos = completeNanos;
            return this;
        }

        /**
         * It happened, with no result (a write, a CAS).
         *
         * @return the operation
         * @throws IllegalStateException if {@link #between} was not called
         */
        public Operation ok() {
            return ok(null);
        }

        /**
         * It happened and returned {@code result} (a read's value; null: absent).
         *
         * @param result the value returned
         * @return the operation
         * @throws IllegalStateException if {@link #between} was not called
         */
        public Operation ok(@Nullable String result) {
            return build(Outcome.OK, result, null);
        }

        /**
         * It definitely did not happen.
         *
         * @param reason why
         * @return the operation
         * @throws IllegalStateException if {@link #between} was not called
         */
        public Operation fail(String reason) {
            return build(Outcome.FAIL, null, reason);
        }

        /**
         * It may or may not have happened (its completion is when the client gave up).
         *
         * @param reason why
         * @return the operation
         * @throws IllegalStateException if {@link #between} was not called
         */
        public Operation unknown(String reason) {
            return build(Outcome.UNKNOWN, null, reason);
        }

        /**
         * Invoked at {@code invokeNanos} and never completed: UNKNOWN, completion time -1, reason "not completed",
         * as a snapshot shows an operation still running.
         *
         * @param invokeNanos the invocation, at least 0
         * @return the operation
         * @throws IllegalArgumentException naming the time if it is negative
         */
        public Operation pending(long invokeNanos) {
            if (invokeNanos < 0) {
                throw new IllegalArgumentException("invokeNanos must be >= 0, got " + invokeNanos);
            }
            return new Operation(
                    id, process, kind, key, value, expected, Outcome.UNKNOWN, null, "not completed", invokeNanos, -1);
        }

        private Operation build(Outcome outcome, @Nullable String result, @Nullable String reason) {
            if (invokeNanos < 0) {
                throw new IllegalStateException("operation #" + id + " p" + process + " " + kind + " " + key
                        + " has no times yet: call between(invokeNanos, completeNanos) before its outcome");
            }
            return new Operation(
                    id, process, kind, key, value, expected, outcome, result, reason, invokeNanos, completeNanos);
        }
    }
}
