package io.github.zkharness.sandbox;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkNetwork;
import io.github.zkharness.ZkNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The sandbox's network commands: each adds or heals faults through {@code ZkEnsemble.network()}. */
final class FaultCommands {

    private FaultCommands() {}

    /** Adds the fault commands to {@code commands}. */
    static Commands addTo(Commands commands) {
        return commands.add(Command.of(
                        "partition",
                        "partition 1,2|3",
                        "split the nodes into groups that cannot reach each other (name every node once)",
                        FaultCommands::partition))
                .add(Command.of(
                        "isolate",
                        "isolate N",
                        "cut node N off from every other peer (connections reset and refused); clients still reach it",
                        FaultCommands::isolate))
                .add(Command.of(
                        "cut",
                        "cut A->B",
                        "one-way: what A sends to B is held, B's traffic to A flows",
                        FaultCommands::cut))
                .add(Command.of(
                        "freeze",
                        "freeze N",
                        "node N's traffic stalls, no reset (a long GC pause or hung host); peers notice by timeout",
                        FaultCommands::freeze))
                .add(Command.of(
                        "unfreeze",
                        "unfreeze N",
                        "heal the freeze of node N; held traffic flows again",
                        FaultCommands::unfreeze))
                .add(Command.of(
                        "latency",
                        "latency A B MS [JITTER]",
                        "delay traffic between A and B by MS milliseconds each way (plus up to JITTER)",
                        FaultCommands::latency))
                .add(Command.of("faults", "faults", "the faults in force (network, then disks)", FaultCommands::faults))
                .add(Command.of(
                        "heal",
                        "heal",
                        "heal every fault: a fully connected network, working disks",
                        FaultCommands::heal))
                .add(Command.of(
                        "expire",
                        "expire SESSIONID",
                        "expire a session on the server side (0x-hex or decimal): its ephemeral nodes go, watchers fire",
                        FaultCommands::expire));
    }

    private static ZkNetwork network(Session session) {
        return session.ensemble().network();
    }

    private static void inForce(Session session, Fault fault) {
        session.println(fault.description() + " (heal to undo)");
    }

    private static void partition(Session session, List<String> args) {
        if (args.size() != 1 || !args.get(0).contains("|")) {
            throw new CommandException("partition takes groups of ids separated by | and ids separated by commas,"
                    + " e.g. partition 1,2|3; got "
                    + (args.isEmpty() ? "nothing" : "\"" + String.join(" ", args) + "\""));
        }
        String[] words = args.get(0).split("\\|", -1);
        @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array for the varargs of partition
        Collection<ZkNode>[] groups = new Collection[words.length];
        for (int g = 0; g < words.length; g++) {
            Set<ZkNode> nodes = new LinkedHashSet<>();
            for (String word : words[g].split(",", -1)) {
                if (!word.isBlank()) {
                    nodes.add(session.node("partition", word.trim()));
                }
            }
            groups[g] = nodes;
        }
        inForce(session, network(session).partition(groups));
    }

    private static void isolate(Session session, List<String> args) {
        ZkNode node = session.oneNode("isolate", args);
        inForce(session, network(session).isolate(node));
    }

    private static void cut(Session session, List<String> args) {
        String spec = String.join("", args);
        String[] ends = spec.split("->", -1);
        if (ends.length != 2 || ends[0].isBlank() || ends[1].isBlank()) {
            throw new CommandException(
                    "cut takes one direction, e.g. cut 1->2; got " + (spec.isEmpty() ? "nothing" : "\"" + spec + "\""));
        }
        ZkNode from = session.node("cut", ends[0].trim());
        ZkNode to = session.node("cut", ends[1].trim());
        inForce(session, network(session).cut(from, to));
    }

    private static void freeze(Session session, List<String> args) {
        ZkNode node = session.oneNode("freeze", args);
        inForce(session, network(session).freeze(node));
    }

    private static void unfreeze(Session session, List<String> args) {
        ZkNode node = session.oneNode("unfreeze", args);
        String wanted = "freeze node " + node.id();
        List<Fault> frozen = network(session).faults().stream()
                .filter(f -> f.description().equals(wanted))
                .toList();
        if (frozen.isEmpty()) {
            throw new CommandException("node " + node.id() + " is not frozen; faults shows what is in force");
        }
        frozen.forEach(Fault::heal);
        session.println("unfroze node " + node.id());
    }

    private static void latency(Session session, List<String> args) {
        if (args.size() != 3 && args.size() != 4) {
            throw new CommandException("latency takes two nodes and milliseconds, e.g. latency 1 2 100 (or latency"
                    + " 1 2 100 20 with jitter); got "
                    + (args.isEmpty() ? "nothing" : "\"" + String.join(" ", args) + "\""));
        }
        ZkNode a = session.node("latency", args.get(0));
        ZkNode b = session.node("latency", args.get(1));
        Duration base = millis(args.get(2));
        Duration jitter = args.size() == 4 ? millis(args.get(3)) : Duration.ZERO;
        inForce(session, network(session).latency(a, b, base, jitter));
    }

    private static Duration millis(String word) {
        try {
            return Duration.ofMillis(Long.parseLong(word));
        } catch (NumberFormatException e) {
            throw new CommandException("latency takes whole milliseconds, got \"" + word + "\"");
        }
    }

    private static void faults(Session session, List<String> args) {
        noArguments("faults", args);
        List<Fault> faults = new ArrayList<>(network(session).faults());
        faults.addAll(diskFaults(session));
        if (faults.isEmpty()) {
            session.println("no faults");
        }
        faults.forEach(f -> session.println(f.description()));
    }

    private static void heal(Session session, List<String> args) {
        noArguments("heal", args);
        List<Fault> diskFaults = diskFaults(session);
        int disks = diskFaults.size();
        int count = network(session).faults().size() + disks;
        network(session).healAll();
        diskFaults.forEach(Fault::heal);
        session.println("healed " + count + (count == 1 ? " fault" : " faults") + "; the network is fully connected"
                + (disks > 0 ? " and every disk works" : ""));
    }

    private static List<Fault> diskFaults(Session session) {
        List<Fault> faults = new ArrayList<>();
        session.ensemble().nodes().forEach(node -> faults.addAll(node.disk().faults()));
        return faults;
    }

    private static void expire(Session session, List<String> args) {
        if (args.size() != 1) {
            throw new CommandException("expire takes one session id (0x-hex as zkCli prints it, or decimal), got "
                    + (args.isEmpty() ? "nothing" : "\"" + String.join(" ", args) + "\""));
        }
        String word = args.get(0);
        long id;
        try {
            id = word.startsWith("0x") || word.startsWith("0X")
                    ? Long.parseUnsignedLong(word.substring(2), 16)
                    : Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new CommandException("expire takes a session id (0x-hex or decimal), got \"" + word + "\"");
        }
        session.ensemble().expireSession(id);
        session.println("expired session 0x" + Long.toHexString(id));
    }

    private static void noArguments(String command, List<String> args) {
        if (!args.isEmpty()) {
            throw new CommandException(command + " takes no argument, got \"" + String.join(" ", args) + "\"");
        }
    }
}
