package io.github.zkharness.sandbox;

/**
 * A command was misused (unknown name, wrong arguments, a node in the wrong state). The sandbox prints the
 * message after {@code error: } and reads the next command.
 */
final class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }
}
