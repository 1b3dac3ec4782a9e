package io.github.zkharness.sandbox;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sandbox: the ensemble, where output goes, and the command table. {@link #execute} runs one line;
 * handlers use the helpers here to resolve nodes and print.
 */
final class Session {

    /** The commands an {@code @N} prefix may pin to one node. */
    static final List<String> CLIENT_COMMANDS = List.of("create", "set", "get", "ls", "delete", "sync");

    private final ZkEnsemble ensemble;
    private final PrintStream out;
    private final Commands commands;
    private final Logger log;
    private boolean quitRequested;
    /** The node an {@code @N} prefix pins the current command to, or null. */
    private ZkNode pinned;

    Session(ZkEnsemble ensemble, PrintStream out, Commands commands) {
        this.ensemble = ensemble;
        this.out = out;
        this.commands = commands;
        // not static: the sandbox's main() points the logging at its file before the first logger is made
        this.log = LoggerFactory.getLogger("zk-sandbox");
    }

    /**
     * Runs one line of input: blank lines and lines starting with {@code #} do nothing. Prints exactly one
     * {@code error: } line for a bad command and never throws a RuntimeException.
     *
     * @return false once the line asked the sandbox to quit
     */
    boolean execute(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return true;
        }
        List<String> words = Arrays.asList(text.split("\\s+"));
        log.info("zk-sandbox command: {}", text);
        pinned = null;
        try {
            if (words.get(0).startsWith("@")) {
                pinned = node("@N", words.get(0).substring(1));
                words = words.subList(1, words.size());
                if (words.isEmpty() || !CLIENT_COMMANDS.contains(words.get(0))) {
                    throw new CommandException("@N goes before a client command (" + String.join(", ", CLIENT_COMMANDS)
                            + "), e.g. @2 get /x");
                }
            }
            List<String> command = words;
            Command found = commands.find(command.get(0))
                    .orElseThrow(() -> new CommandException("unknown command \"" + command.get(0) + "\"; commands are "
                            + String.join(", ", commands.names()) + " (help describes them)"));
            found.handler().run(this, List.copyOf(command.subList(1, command.size())));
        } catch (CommandException e) {
            error(e.getMessage());
        } catch (RuntimeException e) {
            log.warn("zk-sandbox command failed: {}", text, e);
            error(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        }
        out.flush();
        return !quitRequested;
    }

    // ---------------------------------------------------------------------------------------------- for handlers

    ZkEnsemble ensemble() {
        return ensemble;
    }

    /** The node the current command is pinned to with {@code @N}, or null for the whole ensemble. */
    ZkNode pinnedNode() {
        return pinned;
    }

    Commands commands() {
        return commands;
    }

    void println(String line) {
        out.println(line);
    }

    /** Prints {@code text} as it is, ending the line if it does not end one itself. */
    void printVerbatim(String text) {
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
    }

    void requestQuit() {
        quitRequested = true;
    }

    private void error(String message) {
        out.println("error: " + message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }

    /**
     * The node named by the command's only argument: an id, or {@code leader} for the node that leads now.
     *
     * @throws CommandException for no argument, more than one, or one that names no node
     */
    ZkNode oneNode(String command, List<String> args) {
        if (args.size() != 1) {
            throw new CommandException(command + " takes one node: an id (" + ids() + ") or leader, got "
                    + (args.isEmpty() ? "nothing" : "\"" + String.join(" ", args) + "\"") + "; e.g. " + command + " 2");
        }
        return node(command, args.get(0));
    }

    /**
     * The node named by {@code word}: an id, or {@code leader} for the node that leads now.
     *
     * @throws CommandException if it names no node, or names the leader while none leads
     */
    ZkNode node(String command, String word) {
        if (word.equals("leader")) {
            return ensemble.findLeader()
                    .orElseThrow(() -> new CommandException("no node leads now (" + roles() + "); name a node by id ("
                            + ids() + "), or wait for an election and try again"));
        }
        int id;
        try {
            id = Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new CommandException(command + " takes a node id (" + ids() + ") or leader, got \"" + word + "\"");
        }
        for (ZkNode node : ensemble.nodes()) {
            if (node.id() == id) {
                return node;
            }
        }
        throw new CommandException("no node " + id + "; ids are " + ids() + " (or leader)");
    }

    /** What a node was before a command changed it: its role while it ran, else its state (stopped, killed). */
    static String condition(ZkNode node) {
        return node.state() == NodeState.RUNNING ? StatusFormat.lower(node.role()) : StatusFormat.lower(node.state());
    }

    /** The node ids for messages: {@code 1..3}, or {@code 1} for one node. */
    String ids() {
        List<Integer> ids = ensemble.nodes().stream().map(ZkNode::id).toList();
        int first = ids.get(0);
        int last = ids.get(ids.size() - 1);
        if (last - first + 1 == ids.size()) {
            return first == last ? String.valueOf(first) : first + ".." + last;
        }
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Every node and its condition, for messages: {@code 1 looking, 2 killed, 3 looking}. */
    String roles() {
        return ensemble.nodes().stream().map(n -> n.id() + " " + condition(n)).collect(Collectors.joining(", "));
    }
}
