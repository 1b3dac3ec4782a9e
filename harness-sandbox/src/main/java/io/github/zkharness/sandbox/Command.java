package io.github.zkharness.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * One sandbox command: the names it answers to, how it is written, one line of help, and what it does.
 *
 * @param names       the name first, then any aliases (e.g. {@code quit}, {@code exit})
 * @param synopsis    how it is written, as shown by {@code help} (e.g. {@code kill N})
 * @param description one line of help
 * @param handler     what it does; it reports misuse by throwing {@link CommandException}
 */
record Command(List<String> names, String synopsis, String description, Handler handler) {

    /** What a command does with its arguments (the words after its name). */
    @FunctionalInterface
    interface Handler {
        void run(Session session, List<String> args);
    }

    Command {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a command needs a name");
        }
        Objects.requireNonNull(synopsis, "synopsis");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(handler, "handler");
    }

    static Command of(String name, String synopsis, String description, Handler handler) {
        return new Command(List.of(name), synopsis, description, handler);
    }

    String name() {
        return names.get(0);
    }
}
