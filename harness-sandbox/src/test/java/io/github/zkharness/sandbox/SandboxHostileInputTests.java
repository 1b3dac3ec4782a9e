package io.github.zkharness.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.testkit.Bounded;
import io.github.zkharness.testkit.Threads;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sandbox given garbage: each bad command prints exactly one {@code error: ...} line that says what is
 * wrong, and the sandbox carries on (it answers the next command, still has its three nodes, quits with 0 and
 * leaves nothing running). Bad command lines exit 2 (or 1 when the ensemble cannot start) with a reason.
 */
class SandboxHostileInputTests {

    /** Command typed, and the one line it must print (a leading {@code ~} makes it a regular expression). */
    private static final String[][] GARBAGE = {
        {"frobnicate", "~error: unknown command \"frobnicate\"; commands are status, kill, .*"},
        {"kill", "error: kill takes one node: an id (1..3) or leader, got nothing; e.g. kill 2"},
        {"kill 99999999999999999999", "error: kill takes a node id (1..3) or leader, got \"99999999999999999999\""},
        {"kill -1", "error: no node -1; ids are 1..3 (or leader)"},
        {"restart 0", "error: no node 0; ids are 1..3 (or leader)"},
        {
            "restart 1",
            "~error: node 1 is running \\((leader|follower)\\); only a stopped or killed node can be restarted:"
                    + " kill 1 or stop 1 first"
        },
        {"stop 1 2", "error: stop takes one node: an id (1..3) or leader, got \"1 2\"; e.g. stop 2"},
        {"wipe x", "error: wipe takes a node id (1..3) or leader, got \"x\""},
        {"lead", "error: lead takes one node: an id (1..3) or leader, got nothing; e.g. lead 2"},
        {"lead 9", "error: no node 9; ids are 1..3 (or leader)"},
        {"4lw", "error: 4lw takes a node (an id 1..3 or leader) and a four-letter word, got nothing; e.g. 4lw 1 ruok"},
        {
            "4lw 1 ruokay",
            "error: a four-letter word is four letters (ruok, srvr, stat, mntr, conf, cons, dump, wchs, ...),"
                    + " got \"ruokay\""
        },
        {
            "4lw 1 ru0k",
            "error: a four-letter word is four letters (ruok, srvr, stat, mntr, conf, cons, dump, wchs, ...),"
                    + " got \"ru0k\""
        },
        {"latency 1 2 99999999999999999999", "error: latency takes whole milliseconds, got \"99999999999999999999\""},
        {"latency 1 2 -5", "error: latency must not be negative, got PT-0.005S"},
        {"latency 1 2 5 -1", "error: jitter must not be negative, got PT-0.001S"},
        {"latency 1 1 10", "error: a link joins two different nodes, got 1 and 1"},
        {
            "latency 1 2",
            "error: latency takes two nodes and milliseconds, e.g. latency 1 2 100 (or latency 1 2 100 20 with"
                    + " jitter); got \"1 2\""
        },
        {
            "partition 1,2",
            "error: partition takes groups of ids separated by | and ids separated by commas, e.g."
                    + " partition 1,2|3; got \"1,2\""
        },
        {"partition |", "error: partition group 1 is empty: [[], []]"},
        {"partition 1,2|3|", "error: partition group 3 is empty: [[1, 2], [3], []]"},
        {"partition 1|2", "error: nodes [3] are in no partition group: name every node [1, 2, 3] in exactly one group"},
        {"partition 1,x|2,3", "error: partition takes a node id (1..3) or leader, got \"x\""},
        {"cut 1->2->3", "error: cut takes one direction, e.g. cut 1->2; got \"1->2->3\""},
        {"cut ->", "error: cut takes one direction, e.g. cut 1->2; got \"->\""},
        {"cut 2->2", "error: a link joins two different nodes, got 2 and 2"},
        {
            "isolate leader leader",
            "error: isolate takes one node: an id (1..3) or leader, got \"leader leader\"; e.g. isolate 2"
        },
        {"freeze 0", "error: no node 0; ids are 1..3 (or leader)"},
        {"unfreeze 1", "error: node 1 is not frozen; faults shows what is in force"},
        {"heal now", "error: heal takes no argument, got \"now\""},
        {"faults x", "error: faults takes no argument, got \"x\""},
        {"expire", "error: expire takes one session id (0x-hex as zkCli prints it, or decimal), got nothing"},
        {"expire zz", "error: expire takes a session id (0x-hex or decimal), got \"zz\""},
        {"expire 0x", "error: expire takes a session id (0x-hex or decimal), got \"0x\""},
        {
            "expire 0xfffffffffffffffffff",
            "error: expire takes a session id (0x-hex or decimal), got \"0xfffffffffffffffffff\""
        },
        {"expire -5", "~error: the leader \\(node [123]\\) knows no session 0xfffffffffffffffb"},
        {"status --xml", "error: status takes no argument or --json, got \"--xml\""},
        {"help me", "error: help takes no arguments, got \"me\""},
        {"quit now", "error: quit (or exit) takes no arguments, got \"now\""},
        {"status\u0000", "~error: unknown command \"status\u0000\"; .*"},
        {"\u00e9\u00e8 \u2603", "~error: unknown command \"\u00e9\u00e8\"; .*"},
        {
            "kill " + "9".repeat(100_000),
            "error: kill takes a node id (1..3) or leader, got \"" + "9".repeat(100_000) + "\""
        },
        {"remove 99", "~error: .*99.*"},
    };

    @Test
    void everyBadCommandPrintsOneErrorAndTheSandboxCarriesOn() throws Exception {
        Set<String> groupsBefore = harnessThreadGroups();
        List<String> wrong = new ArrayList<>();
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            for (String[] row : GARBAGE) {
                sandbox.send(row[0]);
                String answer = sandbox.next(); // the next line, not the last: a second line would show up here
                if (!matches(row[1], answer)) {
                    wrong.add(shorten(row[0]) + " printed \"" + shorten(answer) + "\", expected " + shorten(row[1]));
                }
            }
            assertNull(sandbox.extraLine(Duration.ofMillis(300)), "a bad command printed more than one line");
            sandbox.send("status --json");
            String json = sandbox.next();
            assertTrue(
                    json.startsWith("[{\"id\":1,") && json.split("\"state\":\"running\"", -1).length == 4,
                    "all three nodes still run: " + json);
            sandbox.send("faults");
            assertEquals("no faults", sandbox.next(), "a refused fault was left behind");
            sandbox.send("quit");
            assertEquals("ensemble closed", sandbox.next(line -> true));
            assertEquals(0, sandbox.exitCode());
            assertEquals("", sandbox.err());
        }
        assertEquals(List.of(), wrong);
        assertEquals(groupsBefore, harnessThreadGroups(), "threads of the sandbox's ensemble after quit");
    }

    @Test
    void aLatencyTooLargeIsRefusedAndBreaksNothingElse() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver("--nodes", "3")) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertTrue(sandbox.ask("latency 1 2 9223372036854775807").startsWith("error: latency "), "refused");
            assertEquals("no faults", sandbox.ask("faults"), "the refused latency is still in force");
            String killed = sandbox.ask("kill 1");
            assertTrue(killed.startsWith("killed node 1"), "kill after a refused latency: " + killed);
            sandbox.send("quit");
            assertEquals("ensemble closed", sandbox.next(line -> line.equals("ensemble closed")));
            assertEquals(0, sandbox.exitCode());
        }
    }

    @Test
    void badCommandLinesExitWithAReasonAndStartNothing() throws Exception {
        Object[][] table = {
            {new String[] {"--nodes", "99999999999"}, 2, "zk-sandbox: --nodes needs a whole number, got \"99999999999\""
            },
            {new String[] {"--nodes="}, 2, "zk-sandbox: --nodes needs a whole number, got \"\""},
            {new String[] {"--nodes", "3", "--nodes"}, 2, "zk-sandbox: --nodes needs a number"},
            {
                new String[] {"--observers", "-3"},
                2,
                "zk-sandbox: --observers: observers must be between 0 and 15, got -3"
            },
            {new String[] {"--nodes", "0"}, 2, "zk-sandbox: --nodes: voters must be between 1 and 15, got 0"},
            {
                new String[] {"--nodes", "1", "--observers", "1"},
                2,
                "zk-sandbox: --observers 1 leaves no voter among --nodes 1: observers must be fewer than nodes"
            },
            {new String[] {"\u0000"}, 2, "zk-sandbox: unexpected argument \"\u0000\""},
            {
                new String[] {"--nodes", "2", "--observers", "1"},
                1,
                "zk-sandbox: the ensemble did not start: observers need"
                        + " at least 2 voters: ZooKeeper runs a single voter on its own and never lets observers follow it;"
                        + " got voters(1).observers(1)"
            },
        };
        Set<String> groupsBefore = harnessThreadGroups();
        try (Bounded bounded = new Bounded()) {
            for (Object[] row : table) {
                String[] args = (String[]) row[0];
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = bounded.call(
                        "ZkSandbox.run(" + String.join(" ", args) + ")",
                        Duration.ofSeconds(30),
                        () -> new ZkSandbox()
                                .run(
                                        args,
                                        new BufferedReader(new StringReader("status\n")),
                                        new PrintStream(out, true, StandardCharsets.UTF_8),
                                        new PrintStream(err, true, StandardCharsets.UTF_8),
                                        false));
                String what = String.join(" ", args);
                assertEquals(row[1], code, "exit code for " + what);
                assertEquals(
                        row[2],
                        err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""),
                        "reason for " + what);
                assertEquals("", out.toString(StandardCharsets.UTF_8), "standard output for " + what);
            }
        }
        assertEquals(groupsBefore, harnessThreadGroups(), "threads left by refused command lines");
    }

    @Test
    void nullArgumentsAreRefusedBeforeAnythingStarts() throws Exception {
        List<String> wrong = new ArrayList<>();
        Object[][] table = {
            {"args", null, new BufferedReader(new StringReader("")), System.out},
            {"in", new String[0], null, System.out},
        };
        try (Bounded bounded = new Bounded()) {
            for (Object[] row : table) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    bounded.call(
                            "ZkSandbox.run with null " + row[0],
                            Duration.ofSeconds(60),
                            () -> new ZkSandbox()
                                    .run(
                                            (String[]) row[1],
                                            (BufferedReader) row[2],
                                            new PrintStream(out, true, StandardCharsets.UTF_8),
                                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                                            false));
                    wrong.add("run with null " + row[0] + " returned");
                } catch (NullPointerException e) {
                    if (e.getMessage() == null || !e.getMessage().equals(row[0] + " must not be null")) {
                        wrong.add("run with null " + row[0] + ": NullPointerException \"" + e.getMessage()
                                + "\", expected \"" + row[0] + " must not be null\"");
                    }
                }
                if (out.size() > 0) {
                    wrong.add("run with null " + row[0] + " started an ensemble first: printed "
                            + out.toString(StandardCharsets.UTF_8)
                                    .lines()
                                    .findFirst()
                                    .orElse(""));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static boolean matches(String expected, String actual) {
        return expected.startsWith("~")
                ? Pattern.compile(expected.substring(1), Pattern.DOTALL)
                        .matcher(actual)
                        .matches()
                : expected.equals(actual);
    }

    private static String shorten(String s) {
        String visible = s.replace("\u0000", "\\0");
        return visible.length() > 120 ? visible.substring(0, 120) + "...(" + visible.length() + " chars)" : visible;
    }

    /** Names of thread groups of zk-harness ensembles with a live thread. */
    private static Set<String> harnessThreadGroups() {
        return Threads.groupsStartingWith("zk-harness-");
    }
}
