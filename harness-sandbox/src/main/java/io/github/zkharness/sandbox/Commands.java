package io.github.zkharness.sandbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's command table: name (or alias) to command, in the order {@code help} lists them. A new command
 * is one {@link #add} call with its handler; nothing else changes.
 */
final class Commands {

    private final Map<String, Command> byName = new LinkedHashMap<>();
    private final List<Command> inOrder = new ArrayList<>();

    /** Adds {@code command} under each of its names. */
    Commands add(Command command) {
        for (String name : command.names()) {
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException("two commands are named " + name);
            }
        }
        for (String name : command.names()) {
            byName.put(name, command);
        }
        inOrder.add(command);
        return this;
    }

    Optional<Command> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every command, in the order they were added. */
    List<Command> all() {
        return List.copyOf(inOrder);
    }

    /** Every name and alias, in order: what an unknown command's error lists. */
    Collection<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The help text: a heading, then one line per command with its synopsis and description. */
    List<String> helpLines() {
        int width = 0;
        for (Command c : inOrder) {
            width = Math.max(width, c.synopsis().length());
        }
        List<String> lines = new ArrayList<>();
        lines.add("commands (N is a node id or the word leader):");
        for (Command c : inOrder) {
            lines.add("  " + pad(c.synopsis(), width) + "  " + c.description());
        }
        return lines;
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
