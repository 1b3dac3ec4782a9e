package io.github.zkharness.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.testkit.Clients;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZkSandboxTests {

    private static final Pattern STARTUP_HEADER = Pattern.compile("id +role +client address +dataDir");
    private static final Pattern STARTUP_ROW =
            Pattern.compile("(\\d+) +(leader|follower|observer|looking) +(127\\.0\\.0\\.1:\\d+) +(/\\S+)");
    private static final Pattern STATUS_HEADER = Pattern.compile("id +role +state +client address +dataDir");
    private static final Pattern STATUS_ROW = Pattern.compile(
            "(\\d+) +(leader|follower|observer|looking|stopped) +(running|stopped|killed) +(127\\.0\\.0\\.1:\\d+) +(/\\S+)");

    // ---------------------------------------------------------------------------------------------- startup

    @Test
    void startupPrintsTheNodesAndAConnectStringThatZooKeeperClientsUse(@TempDir Path base) throws Exception {
        ZkSandbox sandbox = new ZkSandbox(base, "/somewhere/zk-sandbox.log");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // a reader that, before it answers, checks what was printed and uses the ensemble with a real client
        List<String> seen = new ArrayList<>();
        BufferedReader in = new BufferedReader(new StringReader("")) {
            @Override
            public String readLine() {
                try {
                    String text = bytes.toString(StandardCharsets.UTF_8);
                    seen.addAll(Arrays.asList(text.split("\n")));
                    String connect = seen.get(seen.size() - 1).substring("connect string: ".length());
                    ZooKeeper client = Clients.connect(connect);
                    try {
                        client.create(
                                "/from-sandbox",
                                "hi".getBytes(StandardCharsets.UTF_8),
                                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                CreateMode.PERSISTENT);
                        assertEquals(
                                "hi", new String(client.getData("/from-sandbox", false, null), StandardCharsets.UTF_8));
                    } finally {
                        client.close();
                    }
                    return null;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        assertEquals(0, sandbox.run(new String[0], in, out, System.err, false));

        assertEquals("ZooKeeper logs: /somewhere/zk-sandbox.log", seen.get(0));
        assertTrue(STARTUP_HEADER.matcher(seen.get(1)).matches(), seen.get(1));
        List<Matcher> rows = new ArrayList<>();
        for (String line : seen.subList(2, 5)) {
            Matcher m = STARTUP_ROW.matcher(line);
            assertTrue(m.matches(), line);
            rows.add(m);
        }
        assertEquals(List.of("1", "2", "3"), rows.stream().map(m -> m.group(1)).toList());
        assertEquals(1, rows.stream().filter(m -> m.group(2).equals("leader")).count(), seen.toString());
        for (Matcher row : rows) {
            Path dataDir = Path.of(row.group(4));
            assertTrue(dataDir.startsWith(base), dataDir + " is under the sandbox's directory " + base);
            assertFalse(Files.exists(dataDir), "closed ensembles delete their directories: " + dataDir);
        }
        String connect = rows.stream().map(m -> m.group(3)).collect(Collectors.joining(","));
        assertEquals("connect string: " + connect, seen.get(5));
        assertEquals(6, seen.size(), "nothing else before the first command: " + seen);
        assertEquals("ensemble closed", lastLine(bytes));
        assertClosed(sandbox);
    }

    @Test
    void interactiveModePromptsAndNamesHelp() {
        Result r = runScript(true, "status\nquit\n");
        assertEquals(0, r.code);
        assertEquals("type help for the commands, quit to exit", r.lines.get(5));
        assertTrue(r.out.contains("\nzk> id "), "prompt before the status table: " + r.out);
        assertTrue(r.out.endsWith("zk> ensemble closed\n"), r.out);
    }

    @Test
    void pipedModeNeverPrompts() {
        Result r = runScript(false, "status\nhelp\n");
        assertFalse(r.out.contains("zk>"), r.out);
        assertFalse(r.out.contains("type help"), r.out);
    }

    @Test
    void fiveVotersAndAnObserver() {
        Result r = runScript(false, "status --json\n", "--nodes", "6", "--observers", "1");
        assertEquals(0, r.code, r.err);
        List<Map<String, Object>> nodes = nodes(r.lines.get(r.lines.size() - 2));
        assertEquals(6, nodes.size());
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L, 6L),
                nodes.stream().map(n -> n.get("id")).toList());
        assertEquals("observer", nodes.get(5).get("role"));
        assertEquals(
                1, nodes.stream().filter(n -> n.get("role").equals("leader")).count());
        assertEquals(
                4, nodes.stream().filter(n -> n.get("role").equals("follower")).count());
    }

    // ---------------------------------------------------------------------------------------------- commands

    @Test
    void killTheLeaderAndWatchANewOneTakeOver() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver()) {
            sandbox.next(line -> line.startsWith("connect string: "));

            List<Map<String, Object>> before = nodes(sandbox.ask("status --json"));
            assertEquals(3, before.size());
            for (Map<String, Object> node : before) {
                assertEquals(Set.of("id", "role", "state", "clientPort"), node.keySet());
                assertTrue(node.get("id") instanceof Long && node.get("clientPort") instanceof Long, node.toString());
                assertEquals("running", node.get("state"));
            }
            assertEquals(
                    1,
                    before.stream().filter(n -> n.get("role").equals("leader")).count(),
                    before.toString());
            assertEquals(
                    2,
                    before.stream()
                            .filter(n -> n.get("role").equals("follower"))
                            .count(),
                    before.toString());
            long oldLeader = idOf(before, "leader");

            assertEquals("killed node " + oldLeader + " (was leader)", sandbox.ask("kill leader"));
            await().atMost(SandboxDriver.TIMEOUT).until(() -> {
                List<Map<String, Object>> now = nodes(sandbox.ask("status --json"));
                Map<String, Object> killed = now.get((int) oldLeader - 1);
                return killed.get("state").equals("killed")
                        && killed.get("role").equals("stopped")
                        && now.stream().anyMatch(n -> n.get("role").equals("leader"));
            });
            long newLeader = idOf(nodes(sandbox.ask("status --json")), "leader");
            assertNotEquals(oldLeader, newLeader);

            assertEquals("restarted node " + oldLeader + " (was killed)", sandbox.ask("restart " + oldLeader));
            await().atMost(SandboxDriver.TIMEOUT).until(() -> {
                Map<String, Object> back = nodes(sandbox.ask("status --json")).get((int) oldLeader - 1);
                return back.get("state").equals("running") && back.get("role").equals("follower");
            });

            assertEquals("imok", sandbox.ask("4lw 1 ruok"));
            sandbox.skipPrinted();
            sandbox.send("4lw leader srvr");
            assertTrue(sandbox.next().startsWith("Zookeeper version: "));
            assertEquals("Mode: leader", sandbox.next(line -> line.startsWith("Mode: ")));

            sandbox.skipPrinted();
            sandbox.send("status");
            assertTrue(STATUS_HEADER.matcher(sandbox.next()).matches());
            for (int i = 1; i <= 3; i++) {
                String row = sandbox.next();
                Matcher m = STATUS_ROW.matcher(row);
                assertTrue(m.matches(), row);
                assertEquals(String.valueOf(i), m.group(1));
                assertEquals("running", m.group(3));
            }
            sandbox.endInput();
            assertEquals(0, sandbox.exitCode());
            assertEquals("ensemble closed", sandbox.next(line -> line.equals("ensemble closed")));
            assertClosed(sandbox.sandbox);
        }
    }

    @Test
    void badCommandsEachPrintOneErrorLineAndTheSandboxGoesOn() {
        String script = String.join(
                "\n",
                "frobnicate",
                "kill 99",
                "kill",
                "4lw 1",
                "kill 2",
                "kill 2",
                "stop 2",
                "4lw 2 ruok",
                "kill x",
                "kill 1 3",
                "restart 1",
                "status --xml",
                "4lw 1 ruokay",
                "help me",
                "   ",
                "# a comment",
                "status --json",
                "quit",
                "status");
        Result r = runScript(false, script);
        assertEquals(0, r.code);
        List<String> after = r.afterStartup();
        assertEquals(
                List.of(
                        "error: unknown command \"frobnicate\"; commands are status, kill, stop, restart, wipe, rolling-restart, 4lw,"
                                + " partition, isolate, cut, freeze, unfreeze, latency, faults, heal, expire, disk, damage, add-observer,"
                                + " add-voter,"
                                + " remove, lead, create, set, get, ls, delete, sync, chaos, help, quit,"
                                + " exit (help describes them)",
                        "error: no node 99; ids are 1..3 (or leader)",
                        "error: kill takes one node: an id (1..3) or leader, got nothing; e.g. kill 2",
                        "error: 4lw takes a node (an id 1..3 or leader) and a four-letter word, got \"1\"; e.g. 4lw 1 ruok"),
                after.subList(0, 4));
        assertTrue(after.get(4).matches("killed node 2 \\(was (leader|follower)\\)"), after.get(4));
        assertEquals(
                List.of(
                        "error: node 2 is killed; only a running node can be killed: restart 2 first",
                        "error: node 2 is killed; only a running node can be stopped: restart 2 first",
                        "error: node 2 is killed; only a running node answers four-letter words: restart 2 first",
                        "error: kill takes a node id (1..3) or leader, got \"x\"",
                        "error: kill takes one node: an id (1..3) or leader, got \"1 3\"; e.g. kill 2"),
                after.subList(5, 10));
        assertTrue(
                after.get(10)
                        .matches("error: node 1 is running \\((leader|follower|looking)\\); only a stopped"
                                + " or killed node can be restarted: kill 1 or stop 1 first"),
                after.get(10));
        assertEquals(
                List.of(
                        "error: status takes no argument or --json, got \"--xml\"",
                        "error: a four-letter word is four letters (ruok, srvr, stat, mntr, conf, cons, dump, wchs, ...),"
                                + " got \"ruokay\"",
                        "error: help takes no arguments, got \"me\""),
                after.subList(11, 14));
        List<Map<String, Object>> nodes = nodes(after.get(14));
        assertEquals("killed", nodes.get(1).get("state"));
        assertEquals(List.of("ensemble closed"), after.subList(15, after.size()), "nothing runs after quit");
        assertClosed(r.sandbox);
    }

    @Test
    void killingTheLeaderWhileNoneLeadsIsAnError() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver()) {
            sandbox.next(line -> line.startsWith("connect string: "));
            long leader = idOf(nodes(sandbox.ask("status --json")), "leader");
            List<Long> others = new ArrayList<>(List.of(1L, 2L, 3L));
            others.remove(leader);
            // two of three gone: the last one loses its quorum and goes looking
            assertTrue(sandbox.ask("kill " + others.get(0)).startsWith("killed node " + others.get(0)));
            assertTrue(sandbox.ask("stop " + others.get(1)).startsWith("stopped node " + others.get(1)));
            await().atMost(SandboxDriver.TIMEOUT)
                    .until(() -> nodes(sandbox.ask("status --json"))
                            .get((int) leader - 1)
                            .get("role")
                            .equals("looking"));
            String error = sandbox.ask("kill leader");
            assertTrue(error.startsWith("error: no node leads now ("), error);
            assertTrue(error.contains(leader + " looking"), error);
            assertTrue(error.contains(others.get(0) + " killed") && error.contains(others.get(1) + " stopped"), error);
            assertTrue(error.endsWith("name a node by id (1..3), or wait for an election and try again"), error);
            assertEquals(
                    "error: a four-letter word is four letters (ruok, srvr, stat, mntr, conf, cons, dump, wchs,"
                            + " ...), got \"ru0k\"",
                    sandbox.ask("4lw " + leader + " ru0k"));
            assertEquals("restarted node " + others.get(1) + " (was stopped)", sandbox.ask("restart " + others.get(1)));
            await().atMost(SandboxDriver.TIMEOUT)
                    .until(() -> nodes(sandbox.ask("status --json")).stream()
                            .anyMatch(n -> n.get("role").equals("leader")));
            assertTrue(sandbox.ask("kill leader").startsWith("killed node "));
        }
    }

    @Test
    void aRollingRestartRestartsEveryRunningNodeOnceTheLeaderLast() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver()) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertEquals("created /kept", sandbox.ask("create /kept v"));
            String answer = sandbox.ask("rolling-restart");
            assertTrue(
                    answer.matches("restarted nodes 1, 2, 3 one at a time, the leader last; node \\d leads \\(was node"
                            + " \\d\\)"),
                    answer);
            // the sandbox's client reconnects after the leader's restart: ask until it answers
            await().atMost(SandboxDriver.TIMEOUT)
                    .until(() -> sandbox.ask("get /kept").startsWith("/kept = \"v\""));
            assertEquals("error: rolling-restart takes no argument, got \"now\"", sandbox.ask("rolling-restart now"));
        }
    }

    @Test
    void stopRestartAndWipe() throws Exception {
        try (SandboxDriver sandbox = new SandboxDriver()) {
            sandbox.next(line -> line.startsWith("connect string: "));
            assertTrue(sandbox.ask("stop 3").matches("stopped node 3 \\(was (leader|follower)\\)"));
            assertEquals("restarted node 3 (was stopped)", sandbox.ask("restart 3"));
            assertTrue(sandbox.ask("wipe 3").matches("wiped node 3 \\(was (leader|follower|looking)\\)"));
            assertTrue(sandbox.ask("kill 2").matches("killed node 2 \\(was (leader|follower|looking)\\)"));
            assertEquals("wiped node 2 (was killed)", sandbox.ask("wipe 2"));
            await().atMost(SandboxDriver.TIMEOUT).until(() -> {
                List<Map<String, Object>> nodes = nodes(sandbox.ask("status --json"));
                return nodes.stream().allMatch(n -> n.get("state").equals("running"))
                        && nodes.stream()
                                        .filter(n -> n.get("role").equals("leader"))
                                        .count()
                                == 1
                        && nodes.stream()
                                        .filter(n -> n.get("role").equals("follower"))
                                        .count()
                                == 2;
            });
            assertTrue(sandbox.ask("wipe leader").matches("wiped node \\d \\(was leader\\)"));
            sandbox.skipPrinted();
            sandbox.send("exit");
            assertEquals(0, sandbox.exitCode());
            assertEquals("ensemble closed", sandbox.next());
            assertClosed(sandbox.sandbox);
        }
    }

    @Test
    void helpListsEveryCommandOnOneLineEach() {
        Result r = runScript(false, "help\n");
        List<String> help = r.afterStartup();
        assertEquals("commands (N is a node id or the word leader):", help.get(0));
        List<String> expected = List.of(
                "status [--json]",
                "kill N",
                "stop N",
                "restart N",
                "wipe N",
                "rolling-restart",
                "4lw N WORD",
                "partition 1,2|3",
                "isolate N",
                "cut A->B",
                "freeze N",
                "unfreeze N",
                "latency A B MS [JITTER]",
                "faults",
                "heal",
                "expire SESSIONID",
                "disk N slow|full|heal ...",
                "damage N truncate-log|corrupt-log|delete-snapshot|corrupt-snapshot",
                "add-observer",
                "add-voter",
                "remove N",
                "lead N",
                "[@N] create PATH [DATA]",
                "[@N] set PATH DATA",
                "[@N] get PATH",
                "[@N] ls PATH",
                "[@N] delete PATH",
                "[@N] sync PATH",
                "chaos SEED [SECONDS] | chaos stop",
                "help",
                "quit, exit");
        assertEquals(expected.size(), help.size() - 2, help.toString()); // heading ... "ensemble closed"
        for (int i = 0; i < expected.size(); i++) {
            String line = help.get(i + 1);
            assertTrue(line.startsWith("  " + expected.get(i) + "  "), line);
            assertTrue(line.substring(2 + expected.get(i).length()).strip().length() > 5, line);
        }
    }

    // ---------------------------------------------------------------------------------------------- endings

    @Test
    void quitClosesTheEnsembleAndReturnsZero() {
        Result r = runScript(false, "exit now\nquit\nkill 1\n");
        assertEquals(0, r.code);
        assertEquals(
                List.of("error: quit (or exit) takes no arguments, got \"now\"", "ensemble closed"), r.afterStartup());
        assertClosed(r.sandbox);
    }

    @Test
    void endOfInputClosesTheEnsembleAndReturnsZero() {
        Result r = runScript(false, "");
        assertEquals(0, r.code);
        assertEquals(List.of("ensemble closed"), r.afterStartup());
        assertEquals("", r.err);
        assertClosed(r.sandbox);
    }

    @Test
    void badArgumentsPrintTheUsageAndReturnTwo() {
        String[][] bad = {
            {"--nodes", "0"}, {"--nodes", "x"}, {"--nodes"}, {"--nodes", "16"}, {"--observers", "-1"},
            {"--observers=many"}, {"--frob"}, {"extra"}, {"--help=yes"}, {"--keep-logs=yes"},
            {"--nodes", "2", "--observers", "2"}, {"--nodes", "20", "--observers", "2"},
        };
        String[] reasons = {
            "--nodes: voters must be between 1 and 15, got 0",
            "--nodes needs a whole number, got \"x\"",
            "--nodes needs a number",
            "--nodes: voters must be between 1 and 15, got 16",
            "--observers: observers must be between 0 and 15, got -1",
            "--observers needs a whole number, got \"many\"",
            "unknown option \"--frob\"",
            "unexpected argument \"extra\"",
            "--help takes no value",
            "--keep-logs takes no value",
            "--observers 2 leaves no voter among --nodes 2: observers must be fewer than nodes",
            "--nodes: voters must be between 1 and 15, got 18 (20 nodes less 2 observers)",
        };
        for (int i = 0; i < bad.length; i++) {
            Result r = runScript(false, "status\n", bad[i]);
            assertEquals(2, r.code, String.join(" ", bad[i]));
            assertEquals("", r.out, "nothing on stdout for " + String.join(" ", bad[i]));
            assertEquals(
                    "zk-sandbox: " + reasons[i] + System.lineSeparator() + ZkSandbox.USAGE + System.lineSeparator(),
                    r.err);
            assertNull(r.sandbox.ensemble(), "no ensemble was built");
        }
    }

    @Test
    void goodArgumentsInBothSpellings() throws Exception {
        assertEquals(
                new ZkSandbox.Options(1, 2, false, false, false),
                ZkSandbox.Options.parse(new String[] {"--nodes=3", "--observers", "2"}));
        assertEquals(new ZkSandbox.Options(3, 0, false, false, false), ZkSandbox.Options.parse(new String[0]));
        assertEquals(
                new ZkSandbox.Options(5, 0, true, false, false),
                ZkSandbox.Options.parse(new String[] {"--keep-logs", "--nodes", "5"}));
        assertTrue(ZkSandbox.Options.parse(new String[] {"-h"}).help());
        Result r = runScript(false, "", "--help");
        assertEquals(0, r.code);
        assertEquals(ZkSandbox.USAGE + System.lineSeparator(), r.out);
    }

    // ---------------------------------------------------------------------------------------------- formats

    @Test
    void jsonStringsAreEscaped() {
        String nasty = "a\"b\\c\nd\te\u0001f\u2028é";
        String quoted = Json.quote(nasty);
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028é\"", quoted);
        assertEquals(nasty, JsonReader.parse(quoted));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private record Result(int code, String out, List<String> lines, String err, ZkSandbox sandbox) {
        /** The lines after the connect string. */
        List<String> afterStartup() {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("connect string: ")) {
                    return lines.subList(i + 1, lines.size());
                }
            }
            throw new AssertionError("no connect string in " + lines);
        }
    }

    private static Result runScript(boolean interactive, String script, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ZkSandbox sandbox = new ZkSandbox();
        int code = sandbox.run(
                args,
                new BufferedReader(new StringReader(script)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                interactive);
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
        return new Result(code, text, lines, err.toString(StandardCharsets.UTF_8), sandbox);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(String json) {
        Object parsed = JsonReader.parse(json);
        assertTrue(parsed instanceof List, json);
        for (Object node : (List<Object>) parsed) {
            assertTrue(node instanceof Map, json);
            assertEquals(Set.of("id", "role", "state", "clientPort"), ((Map<String, Object>) node).keySet(), json);
        }
        return (List<Map<String, Object>>) parsed;
    }

    private static long idOf(List<Map<String, Object>> nodes, String role) {
        return nodes.stream()
                .filter(n -> n.get("role").equals(role))
                .map(n -> (Long) n.get("id"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + role + " in " + nodes));
    }

    private static void assertClosed(ZkSandbox sandbox) {
        ZkEnsemble ensemble = sandbox.ensemble();
        IllegalStateException e = assertThrows(IllegalStateException.class, ensemble::connectString);
        assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
    }

    private static String lastLine(ByteArrayOutputStream bytes) {
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        return lines[lines.length - 1];
    }
}
