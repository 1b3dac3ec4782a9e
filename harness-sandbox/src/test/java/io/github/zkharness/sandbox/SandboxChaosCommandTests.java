package io.github.zkharness.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code chaos SEED [SECONDS]} and {@code chaos stop}, as a user types them. */
class SandboxChaosCommandTests {

    @Test
    void aSeededRunPrintsEachStepAndItsSummaryWithTheReplay() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            // steps print in the background, between the answers to commands: pick lines by their start
            sandbox.send("chaos 42");
            assertEquals("chaos seed 42 started; chaos stop ends it", sandbox.next(l -> l.startsWith("chaos seed")));
            String first = sandbox.next(l -> l.startsWith("chaos #1 "));
            assertTrue(first.startsWith("chaos #1 +"), first);
            sandbox.send("chaos 7");
            assertEquals(
                    "error: a chaos run (seed 42) is going on; chaos stop ends it",
                    sandbox.next(l -> l.startsWith("error:")));
            sandbox.send("chaos stop");
            String summary = sandbox.next(line -> line.startsWith("chaos seed 42: "));
            assertTrue(summary.contains("replay: ChaosSchedule.of(zk).seed(42L).start()"), summary);
            assertTrue(sandbox.ask("status --json").contains("\"role\":\"leader\""), "healed and serving");
            assertEquals(
                    "error: no chaos run is going on; start one with chaos SEED [SECONDS]", sandbox.ask("chaos stop"));
            assertEquals("error: chaos takes a seed (a whole number), got \"x\"", sandbox.ask("chaos x"));
            assertEquals("error: chaos runs for at least 1 second, got 0", sandbox.ask("chaos 1 0"));
            sandbox.send("quit");
            assertEquals(0, sandbox.exitCode());
        }
    }
}
