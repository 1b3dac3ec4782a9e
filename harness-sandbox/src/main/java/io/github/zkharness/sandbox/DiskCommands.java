package io.github.zkharness.sandbox;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import io.github.zkharness.ZkDisk;
import io.github.zkharness.ZkNode;
import java.time.Duration;
import java.util.List;

/** The sandbox's disk commands: live faults through {@code ZkNode.disk()}, and damage at rest. */
final class DiskCommands {

    /** How many of a node's disk failures {@code disk N} prints: the newest. */
    private static final int FAILURES_SHOWN = 5;

    private DiskCommands() {}

    /** Adds the disk commands to {@code commands}. */
    static Commands addTo(Commands commands) {
        return commands.add(Command.of(
                        "disk",
                        "disk N slow|full|heal ...",
                        "node N's disks: slow MS [JITTER] (log flushes), slow-snapshots MS [JITTER], full (log: No space"
                                + " left on device), full-snapshots, heal; disk N alone shows its faults and failures",
                        DiskCommands::disk))
                .add(Command.of(
                        "damage",
                        "damage N truncate-log|corrupt-log|delete-snapshot|corrupt-snapshot",
                        "damage a stopped or killed node's files before restart N (torn log tail, bad checksum, ...)",
                        DiskCommands::damage));
    }

    private static void disk(Session session, List<String> args) {
        if (args.isEmpty()) {
            throw new CommandException("disk takes a node and what to do, e.g. disk 2 slow 200, disk 2 full,"
                    + " disk 2 heal (or disk 2 to see its disks)");
        }
        ZkNode node = session.node("disk", args.get(0));
        ZkDisk disk = node.disk();
        if (args.size() == 1) {
            show(session, node, disk);
            return;
        }
        String what = args.get(1);
        List<String> rest = args.subList(2, args.size());
        switch (what) {
            case "slow" -> inForce(session, disk.slowLog(millis(what, rest), jitter(what, rest)));
            case "slow-snapshots" -> inForce(session, disk.slowSnapshots(millis(what, rest), jitter(what, rest)));
            case "full" -> inForce(session, noMore(what, rest, disk.fullLog()));
            case "full-snapshots" -> inForce(session, noMore(what, rest, disk.fullSnapshots()));
            case "heal" -> {
                noMore(what, rest, null);
                List<Fault> faults = disk.faults();
                faults.forEach(Fault::heal);
                session.println("healed " + faults.size() + (faults.size() == 1 ? " disk fault" : " disk faults")
                        + " of node " + node.id());
            }
            default ->
                throw new CommandException("disk " + node.id() + " takes slow MS [JITTER], slow-snapshots MS"
                        + " [JITTER], full, full-snapshots or heal, got \"" + what + "\"");
        }
    }

    private static void show(Session session, ZkNode node, ZkDisk disk) {
        session.println("node " + node.id() + ": "
                + (disk.sharesOneDisk() ? "log and snapshots on one disk" : "log and snapshots on separate disks"));
        List<Fault> faults = disk.faults();
        if (faults.isEmpty()) {
            session.println("  no disk faults");
        }
        faults.forEach(f -> session.println("  fault: " + f.description()));
        List<DiskFailure> failures = disk.failures();
        for (DiskFailure f : failures.subList(Math.max(0, failures.size() - FAILURES_SHOWN), failures.size())) {
            session.println("  " + f.time() + ": " + f.describe());
        }
        if (failures.size() > FAILURES_SHOWN) {
            session.println("  (" + (failures.size() - FAILURES_SHOWN) + " earlier failures not shown)");
        }
    }

    private static void damage(Session session, List<String> args) {
        if (args.size() != 2) {
            throw new CommandException("damage takes a node and one of truncate-log, corrupt-log, delete-snapshot,"
                    + " corrupt-snapshot, e.g. damage 2 truncate-log; got "
                    + (args.isEmpty() ? "nothing" : "\"" + String.join(" ", args) + "\""));
        }
        ZkDisk disk = session.node("damage", args.get(0)).disk();
        DiskDamage done = switch (args.get(1)) {
            case "truncate-log" -> disk.truncateLogTail();
            case "corrupt-log" -> disk.corruptLog();
            case "delete-snapshot" -> disk.deleteSnapshot();
            case "corrupt-snapshot" -> disk.corruptSnapshot();
            default ->
                throw new CommandException("damage takes truncate-log, corrupt-log, delete-snapshot or"
                        + " corrupt-snapshot, got \"" + args.get(1) + "\"");
        };
        session.println(done.description() + " (restart " + disk.nodeId() + " to see what ZooKeeper makes of it)");
    }

    private static void inForce(Session session, Fault fault) {
        session.println(fault.description() + " (heal to undo)");
    }

    private static Duration millis(String what, List<String> rest) {
        if (rest.isEmpty() || rest.size() > 2) {
            throw new CommandException("disk N " + what + " takes milliseconds and an optional jitter, e.g. disk 2 "
                    + what + " 200; got " + (rest.isEmpty() ? "nothing" : "\"" + String.join(" ", rest) + "\""));
        }
        return parse(rest.get(0));
    }

    private static Duration jitter(String what, List<String> rest) {
        return rest.size() == 2 ? parse(rest.get(1)) : Duration.ZERO;
    }

    private static Duration parse(String word) {
        try {
            return Duration.ofMillis(Long.parseLong(word));
        } catch (NumberFormatException e) {
            throw new CommandException("disk takes whole milliseconds, got \"" + word + "\"");
        }
    }

    private static <T> T noMore(String what, List<String> rest, T value) {
        if (!rest.isEmpty()) {
            throw new CommandException(
                    "disk N " + what + " takes nothing more, got \"" + String.join(" ", rest) + "\"");
        }
        return value;
    }
}
