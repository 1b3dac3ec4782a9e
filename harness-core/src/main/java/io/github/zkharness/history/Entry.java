package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** One entry of a history snapshot: a client {@link Operation} or an {@link Event}, on the history's clock. */
@API(status = EXPERIMENTAL, since = "0.1")
public sealed interface Entry permits Operation, Event {

    /**
     * The entry's number in its history, unique and increasing in the order entries were started.
     *
     * @return the number, from 0
     */
    long id();

    /**
     * When the entry started (an operation's invocation, an event's time), in nanoseconds since the history started.
     *
     * @return nanoseconds, at least 0
     */
    long startNanos();
}
