package io.github.zkharness.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sandbox's own client: reads and writes through the ensemble or one node, one line each. */
class SandboxClientCommandTests {

    @Test
    void readsAndWritesThroughTheEnsembleOrOneNode() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals("created /x", sandbox.ask("create /x hello"));
            assertTrue(sandbox.ask("get /x").startsWith("/x = \"hello\" (version 0, zxid 0x"));
            assertEquals("set /x (version 1)", sandbox.ask("@2 set /x bye"));
            assertEquals("synced /x", sandbox.ask("@3 sync /x"));
            assertTrue(sandbox.ask("@3 get /x").startsWith("/x = \"bye\" (version 1,"));
            assertEquals("/: [x, zookeeper]", sandbox.ask("ls /"));
            sandbox.ask("kill 2");
            assertEquals("error: ConnectionLoss for /x (through node 2)", sandbox.ask("@2 get /x"));
            assertEquals("deleted /x", sandbox.ask("delete /x"));
            assertEquals("error: NoNode for /x", sandbox.ask("get /x"));
            assertEquals("error: NodeExists for /zookeeper", sandbox.ask("create /zookeeper"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void misuseGetsOneErrorLine() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals(
                    "error: \"nope\" is not a znode path: Path must start with / character",
                    sandbox.ask("create nope"));
            assertEquals("error: set is written set PATH DATA, got \"set /x\"", sandbox.ask("set /x"));
            assertEquals(
                    "error: @N goes before a client command (create, set, get, ls, delete, sync), e.g. @2 get /x",
                    sandbox.ask("@2 status"));
            assertEquals("error: no node 9; ids are 1..3 (or leader)", sandbox.ask("@9 get /x"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }
}
