package io.github.zkharness.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sandbox's disk commands, driven as a user would type them. */
class SandboxDiskCommandTests {

    @Test
    void diskFaultsAreAddedShownListedAndHealed() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals(
                    "slow log disk of node 1: +200 ms +50 ms jitter per log flush (snapshots on the same disk)"
                            + " (heal to undo)",
                    sandbox.ask("disk 1 slow 200 50"));
            assertEquals(
                    "full log disk of node 2: writes fail with No space left on device (snapshots on the same"
                            + " disk) (heal to undo)",
                    sandbox.ask("disk 2 full"));
            sandbox.skipPrinted();
            sandbox.send("faults");
            assertEquals(
                    "slow log disk of node 1: +200 ms +50 ms jitter per log flush (snapshots on the same disk)",
                    sandbox.next());
            assertTrue(sandbox.next().startsWith("full log disk of node 2"));
            // a write makes node 2's SyncThread fail (a client of node 2 may see ConnectionLoss, so: node 3)
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sandbox.ask("@3 create /x hello").startsWith("created"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                sandbox.skipPrinted();
                sandbox.send("disk 2");
                String first = sandbox.next();
                String second = sandbox.next();
                String third = sandbox.extraLine(Duration.ofMillis(300));
                return first.equals("node 2: log and snapshots on one disk")
                        && second.startsWith("  fault: full log")
                        && third != null
                        && third.contains("transaction log append failed: No space left on device on SyncThread:2");
            });
            sandbox.skipPrinted();
            assertEquals("healed 1 disk fault of node 2", sandbox.ask("disk 2 heal"));
            assertEquals("healed 1 fault; the network is fully connected and every disk works", sandbox.ask("heal"));
            assertEquals("no faults", sandbox.ask("faults"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void damageAtRestThenRestartShowsZooKeepersReaction() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            String created = sandbox.ask("create /a 1");
            assertTrue(created.startsWith("created /a"), created);
            assertEquals(
                    "error: node 1 is RUNNING; only a stopped or killed node's files can be damaged at rest:"
                            + " stop() or kill() it first, then corrupt its transaction log",
                    sandbox.ask("damage 1 corrupt-log"));
            assertTrue(sandbox.ask("kill 1").startsWith("killed node 1"));
            String damaged = sandbox.ask("damage 1 corrupt-log");
            assertTrue(
                    damaged.startsWith("flipped byte ")
                            && damaged.endsWith(
                                    "its checksum no longer matches (restart 1 to see what ZooKeeper makes of it)"),
                    damaged);
            String refused = sandbox.ask("restart 1");
            assertTrue(
                    refused.startsWith("error: node 1 refused to start: ZooKeeper could not load its data")
                            && refused.contains("CRC check failed"),
                    refused);
            assertTrue(sandbox.ask("wipe 1").startsWith("wiped node 1"));
            assertEquals(
                    "error: damage takes truncate-log, corrupt-log, delete-snapshot or corrupt-snapshot, got"
                            + " \"shred\"",
                    sandbox.ask("damage 1 shred"));
            assertEquals(
                    "error: disk N slow takes milliseconds and an optional jitter, e.g. disk 2 slow 200; got"
                            + " nothing",
                    sandbox.ask("disk 2 slow"));
            assertEquals("error: slow log delay must not be negative, got -5 ms", sandbox.ask("disk 2 slow -5"));
            assertEquals("error: no node 9; ids are 1..3 (or leader)", sandbox.ask("disk 9 full"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }
}
