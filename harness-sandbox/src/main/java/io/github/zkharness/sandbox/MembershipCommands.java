package io.github.zkharness.sandbox;

import io.github.zkharness.ZkNode;
import java.util.List;

/**
 * The sandbox's membership commands: ZooKeeper's dynamic reconfiguration through {@code ZkEnsemble}, and which voter
 * leads.
 */
final class MembershipCommands {

    private MembershipCommands() {}

    /** Adds the membership commands to {@code commands}. */
    static Commands addTo(Commands commands) {
        return commands.add(Command.of(
                        "add-observer",
                        "add-observer",
                        "add an observer through a reconfiguration (new id, ports, dataDir); it syncs and serves",
                        (session, args) -> add(session, args, false)))
                .add(Command.of(
                        "add-voter",
                        "add-voter",
                        "add a voter through a reconfiguration; it counts toward the quorum once committed",
                        (session, args) -> add(session, args, true)))
                .add(Command.of(
                        "remove",
                        "remove N",
                        "take node N out of the ensemble through a reconfiguration; its directories are deleted",
                        MembershipCommands::remove))
                .add(Command.of(
                        "lead",
                        "lead N",
                        "make voter N the leader through ZooKeeper's election (the leader restarts once N has its data)",
                        MembershipCommands::lead));
    }

    private static void add(Session session, List<String> args, boolean voter) {
        String command = voter ? "add-voter" : "add-observer";
        if (!args.isEmpty()) {
            throw new CommandException(command + " takes no argument, got \"" + String.join(" ", args) + "\"");
        }
        ZkNode node = voter ? session.ensemble().addVoter() : session.ensemble().addObserver();
        session.println(
                "added node " + node.id() + " (" + (voter ? "voter" : "observer") + ") at " + node.connectString());
    }

    private static void lead(Session session, List<String> args) {
        ZkNode node = session.oneNode("lead", args);
        String was = session.ensemble().findLeader().map(n -> "node " + n.id()).orElse("no leader");
        session.ensemble().moveLeader(node);
        session.println("node " + node.id() + " leads (was " + was + ")");
    }

    private static void remove(Session session, List<String> args) {
        ZkNode node = session.oneNode("remove", args);
        String was = Session.condition(node);
        session.ensemble().remove(node);
        session.println("removed node " + node.id() + " (was " + was + ")");
    }
}
