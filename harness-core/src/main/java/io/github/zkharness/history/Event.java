package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Something that happened at one instant and is not a client operation: a fault starting or ending, a node changing
 * role, a process acquiring a lock. The vocabulary the checkers and the timeline understand is described in
 * {@link History}.
 *
 * @param id the entry's number in its history
 * @param timeNanos when it happened, in nanoseconds since the history started
 * @param source who or what it is about ("chaos", "node-2", "process-3"), non-blank
 * @param kind what happened ("fault-start", "role", "lock-acquired", ...), non-blank
 * @param description the details ("partition 1,2|3", "LEADER", the lock's name), never null
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Event(long id, long timeNanos, String source, String kind, String description) implements Entry {

    /**
     * An event.
     *
     * @param id as the record component {@code id} above
     * @param timeNanos as the record component {@code timeNanos} above
     * @param source as the record component {@code source} above
     * @param kind as the record component {@code kind} above
     * @param description as the record component {@code description} above
     *
     * @throws IllegalArgumentException if source or kind is null or blank, description is null, or the time negative
     */
    public Event {
        if (source == null || source.isBlank() || kind == null || kind.isBlank()) {
            throw new IllegalArgumentException(
                    "an event needs a non-blank source and kind, got source=" + source + " kind=" + kind);
        }
        if (description == null) {
            throw new IllegalArgumentException("an event's description must not be null (use \"\")");
        }
        if (timeNanos < 0) {
            throw new IllegalArgumentException("timeNanos must be >= 0, got " + timeNanos);
        }
    }

    /** The event's time (same as {@link #timeNanos()}). */
    @Override
    public long startNanos() {
        return timeNanos;
    }

    /**
     * A one-line description, e.g. {@code chaos fault-start "partition 1,2|3" at 1204.330 ms}.
     *
     * @return the description
     */
    public String describe() {
        return source + ' ' + kind + " \"" + description + "\" at " + Operation.millis(timeNanos);
    }

    /** Same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }
}
