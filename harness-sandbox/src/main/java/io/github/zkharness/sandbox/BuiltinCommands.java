package io.github.zkharness.sandbox;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.util.List;
import java.util.Locale;

/** The sandbox's commands. Each handler prints one line of outcome, or throws {@link CommandException}. */
final class BuiltinCommands {

    private BuiltinCommands() {}

    /** The command table of {@code bin/zk-sandbox}, in the order {@code help} lists it. */
    static Commands standard() {
        return standard(new ClientCommands(), new ChaosCommands(System.out));
    }

    /**
     * The command table, with {@code clients} serving the client commands and {@code chaos} the chaos command
     * (both closed by the caller).
     */
    static Commands standard(ClientCommands clients, ChaosCommands chaos) {
        return ChaosCommands.addTo(
                        ClientCommands.addTo(
                                MembershipCommands.addTo(DiskCommands.addTo(FaultCommands.addTo(new Commands()
                                        .add(Command.of(
                                                "status",
                                                "status [--json]",
                                                "the nodes (id, role, state, client address, dataDir); --json: one line of JSON for scripts",
                                                BuiltinCommands::status))
                                        .add(Command.of(
                                                "kill",
                                                "kill N",
                                                "crash node N: its connections are reset, nothing is flushed; its data stays for restart",
                                                BuiltinCommands::kill))
                                        .add(Command.of(
                                                "stop",
                                                "stop N",
                                                "shut node N down gracefully; its data stays for restart",
                                                BuiltinCommands::stop))
                                        .add(Command.of(
                                                "restart",
                                                "restart N",
                                                "start a stopped or killed node N again with its data; it rejoins on its own",
                                                BuiltinCommands::restart))
                                        .add(Command.of(
                                                "wipe",
                                                "wipe N",
                                                "lose node N's disk: kill it if it runs, delete its data, start it empty; the ensemble resyncs it",
                                                BuiltinCommands::wipe))
                                        .add(Command.of(
                                                "rolling-restart",
                                                "rolling-restart",
                                                "stop and start every running node once, the leader last, each after the ensemble serves again",
                                                BuiltinCommands::rollingRestart))
                                        .add(Command.of(
                                                "4lw",
                                                "4lw N WORD",
                                                "send a four-letter word (ruok, srvr, stat, mntr, conf, cons, dump, wchs, ...) to node N, print the answer",
                                                BuiltinCommands::fourLetterWord))))),
                                clients),
                        chaos)
                .add(Command.of("help", "help", "this list", BuiltinCommands::help))
                .add(new Command(
                        List.of("quit", "exit"),
                        "quit, exit",
                        "close the ensemble (every node stops, its directories are deleted) and exit",
                        BuiltinCommands::quit));
    }

    private static void status(Session session, List<String> args) {
        if (args.isEmpty()) {
            StatusFormat.statusTable(session.ensemble().status()).forEach(session::println);
        } else if (args.equals(List.of("--json"))) {
            session.println(StatusFormat.json(session.ensemble().status()));
        } else {
            throw new CommandException("status takes no argument or --json, got \"" + String.join(" ", args) + "\"");
        }
    }

    private static void kill(Session session, List<String> args) {
        ZkNode node = session.oneNode("kill", args);
        String was = requireRunning(node, "killed");
        node.kill();
        session.println("killed node " + node.id() + " (was " + was + ")");
    }

    private static void stop(Session session, List<String> args) {
        ZkNode node = session.oneNode("stop", args);
        String was = requireRunning(node, "stopped");
        node.stop();
        session.println("stopped node " + node.id() + " (was " + was + ")");
    }

    private static void restart(Session session, List<String> args) {
        ZkNode node = session.oneNode("restart", args);
        if (node.state() == NodeState.RUNNING) {
            throw new CommandException("node " + node.id() + " is running (" + Session.condition(node)
                    + "); only a stopped or killed node can be restarted: kill " + node.id() + " or stop " + node.id()
                    + " first");
        }
        String was = Session.condition(node);
        node.restart();
        session.println("restarted node " + node.id() + " (was " + was + ")");
    }

    private static void wipe(Session session, List<String> args) {
        ZkNode node = session.oneNode("wipe", args);
        String was = Session.condition(node);
        node.wipe();
        session.println("wiped node " + node.id() + " (was " + was + ")");
    }

    private static void rollingRestart(Session session, List<String> args) {
        if (!args.isEmpty()) {
            throw new CommandException("rolling-restart takes no argument, got \"" + String.join(" ", args) + "\"");
        }
        ZkEnsemble zk = session.ensemble();
        String was = zk.findLeader().map(n -> "node " + n.id()).orElse("no node");
        List<String> running = zk.nodes().stream()
                .filter(n -> n.state() == NodeState.RUNNING)
                .map(n -> String.valueOf(n.id()))
                .toList();
        zk.rollingRestart();
        String now = zk.findLeader().map(n -> "node " + n.id()).orElse("no node");
        session.println("restarted nodes " + String.join(", ", running) + " one at a time, the leader last; " + now
                + " leads (was " + was + ")");
    }

    private static void fourLetterWord(Session session, List<String> args) {
        if (args.size() != 2) {
            throw new CommandException("4lw takes a node (an id " + session.ids() + " or leader) and a four-letter"
                    + " word, got " + (args.isEmpty() ? "nothing" : "\"" + String.join(" ", args) + "\"")
                    + "; e.g. 4lw 1 ruok");
        }
        ZkNode node = session.node("4lw", args.get(0));
        String word = args.get(1).toLowerCase(Locale.ROOT);
        if (!word.matches("[a-z]{4}")) {
            throw new CommandException("a four-letter word is four letters (ruok, srvr, stat, mntr, conf, cons,"
                    + " dump, wchs, ...), got \"" + args.get(1) + "\"");
        }
        if (node.state() != NodeState.RUNNING) {
            throw new CommandException("node " + node.id() + " is " + Session.condition(node)
                    + "; only a running node answers four-letter words: restart " + node.id() + " first");
        }
        session.printVerbatim(node.fourLetterWord(word));
    }

    private static void help(Session session, List<String> args) {
        noArguments("help", args);
        session.commands().helpLines().forEach(session::println);
    }

    private static void quit(Session session, List<String> args) {
        noArguments("quit (or exit)", args);
        session.requestQuit();
    }

    /** Returns the node's role; throws unless it runs. */
    private static String requireRunning(ZkNode node, String verb) {
        if (node.state() != NodeState.RUNNING) {
            throw new CommandException("node " + node.id() + " is " + Session.condition(node)
                    + "; only a running node can be " + verb + ": restart " + node.id() + " first");
        }
        return Session.condition(node);
    }

    private static void noArguments(String command, List<String> args) {
        if (!args.isEmpty()) {
            throw new CommandException(command + " takes no arguments, got \"" + String.join(" ", args) + "\"");
        }
    }
}
