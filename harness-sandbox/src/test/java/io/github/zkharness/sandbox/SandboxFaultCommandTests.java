package io.github.zkharness.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** The sandbox's network commands, driven as a user would type them. */
class SandboxFaultCommandTests {

    @Test
    void faultsAreAddedListedAndHealedFromTheCommandLine() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals("partition 1,2|3 (heal to undo)", sandbox.ask("partition 1,2|3"));
            assertEquals("cut 1->2 (heal to undo)", sandbox.ask("cut 1->2"));
            assertEquals("freeze node 3 (heal to undo)", sandbox.ask("freeze 3"));
            assertEquals("latency 1<->2 50 ms +10 ms jitter (heal to undo)", sandbox.ask("latency 1 2 50 10"));
            assertTrue(sandbox.ask("status --json").startsWith("[{\"id\":1,"), "status --json works under faults");
            sandbox.skipPrinted();
            sandbox.send("faults");
            assertEquals("partition 1,2|3", sandbox.next());
            assertEquals("cut 1->2", sandbox.next());
            assertEquals("freeze node 3", sandbox.next());
            assertEquals("latency 1<->2 50 ms +10 ms jitter", sandbox.next());
            assertEquals("unfroze node 3", sandbox.ask("unfreeze 3"));
            assertEquals("error: node 3 is not frozen; faults shows what is in force", sandbox.ask("unfreeze 3"));
            assertEquals("healed 3 faults; the network is fully connected", sandbox.ask("heal"));
            assertEquals("no faults", sandbox.ask("faults"));
            // after heal the nodes may still be electing: wait for a leader as a user would, with status --json
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sandbox.ask("status --json").contains("\"role\":\"leader\""));
            String isolated = sandbox.ask("isolate leader");
            assertTrue(isolated.matches("isolate node [123] \\(heal to undo\\)"), isolated);
            assertEquals("healed 1 fault; the network is fully connected", sandbox.ask("heal"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void badFaultCommandsPrintOneErrorAndTheSandboxCarriesOn() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals(
                    "error: partition takes groups of ids separated by | and ids separated by commas, e.g."
                            + " partition 1,2|3; got \"1,2\"",
                    sandbox.ask("partition 1,2"));
            assertEquals(
                    "error: node 2 is in two partition groups: [[1, 2], [2, 3]]", sandbox.ask("partition 1,2|2,3"));
            assertEquals("error: cut takes one direction, e.g. cut 1->2; got \"1-2\"", sandbox.ask("cut 1-2"));
            assertEquals("error: latency must not be negative, got PT-0.005S", sandbox.ask("latency 1 2 -5"));
            assertEquals("error: expire takes a session id (0x-hex or decimal), got \"zz\"", sandbox.ask("expire zz"));
            assertTrue(sandbox.ask("expire 0x1234").endsWith("knows no session 0x1234"));
            assertEquals("error: no node 9; ids are 1..3 (or leader)", sandbox.ask("isolate 9"));
            assertEquals("no faults", sandbox.ask("faults"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void nodesAreAddedAndRemovedAndStatusShowsThem() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertTrue(sandbox.ask("add-observer").matches("added node 4 \\(observer\\) at 127\\.0\\.0\\.1:\\d+"));
            assertTrue(sandbox.ask("status --json").contains("{\"id\":4,\"role\":\"observer\",\"state\":\"running\""));
            assertEquals(
                    "removed node 2 (was follower)".substring(0, 15),
                    sandbox.ask("remove 2").substring(0, 15));
            assertTrue(
                    sandbox.ask("add-voter").startsWith("added node 2 (voter) at "), "the lowest free id comes back");
            assertEquals("error: add-voter takes no argument, got \"5\"", sandbox.ask("add-voter 5"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void leadMovesTheLeaderToTheNodeNamed() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "4", "--observers", "1")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals("node 1 leads (was node 3)", sandbox.ask("lead 1"));
            assertTrue(sandbox.ask("status --json").contains("{\"id\":1,\"role\":\"leader\",\"state\":\"running\""));
            assertEquals("node 1 leads (was node 1)", sandbox.ask("lead leader"));
            assertEquals(
                    "error: node 4 is an observer: observers never vote and never lead; makeVoter(node) first",
                    sandbox.ask("lead 4"));
            assertEquals(
                    "error: lead takes one node: an id (1..4) or leader, got nothing; e.g. lead 2",
                    sandbox.ask("lead"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void expireEndsARealClientsSession() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            String connect =
                    sandbox.next(line -> line.startsWith("connect string: ")).substring("connect string: ".length());
            CountDownLatch expired = new CountDownLatch(1);
            try (ZooKeeper client = Clients.connect(connect, 30_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.Expired) {
                    expired.countDown();
                }
            })) {
                client.create("/ephemeral", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                String id = "0x" + Long.toHexString(client.getSessionId());
                assertEquals("expired session " + id, sandbox.ask("expire " + id));
                assertTrue(expired.await(20, TimeUnit.SECONDS), "the client was told its session expired");
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sandbox.ask("4lw 1 dump").indexOf("/ephemeral") < 0);
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }
}
