package io.github.zkharness.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ZkSandbox#main} in a JVM of its own, as {@code bin/zk-sandbox} runs it: its console shows only its
 * own lines (ZooKeeper's logs go to the file it names), signals close the ensemble, bad arguments exit 2, and it
 * leaves nothing in the temporary directory unless {@code --keep-logs} keeps the log.
 */
class ZkSandboxMainTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Every line the sandbox itself prints for the script below; anything else is a leak (e.g. a log line). */
    private static final List<Pattern> OWN_LINES = Stream.of(
                    "ZooKeeper logs: .*/zk-sandbox\\.log",
                    "id +role +client address +dataDir",
                    "id +role +state +client address +dataDir",
                    "\\d+ +(leader|follower|observer|looking|stopped)( +(running|stopped|killed))? +127\\.0\\.0\\.1:\\d+ +/\\S+",
                    "connect string: (127\\.0\\.0\\.1:\\d+,?)+",
                    "\\[\\{\"id\":1,.*\\}\\]",
                    "killed node \\d+ \\(was leader\\)",
                    "ensemble closed",
                    "ZooKeeper logs kept: .*/zk-sandbox\\.log")
            .map(Pattern::compile)
            .toList();

    @TempDir
    Path tmp;

    private Process process;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPipedScriptSeesOnlyTheSandboxsOwnLinesAndTheLogsGoToTheNamedFile() throws Exception {
        Child child = start("--nodes", "5", "--observers", "1", "--keep-logs");
        child.send("status --json\nkill leader\nstatus\nquit\n");
        child.endInput();
        assertEquals(0, child.exitCode(), child.describe());
        for (String line : child.out) {
            assertTrue(
                    OWN_LINES.stream().anyMatch(p -> p.matcher(line).matches()),
                    "not the sandbox's: " + line + "\n" + child.describe());
        }
        assertEquals(List.of(), child.err, child.describe());
        Path log = Path.of(child.out.get(0).substring("ZooKeeper logs: ".length()));
        assertEquals(
                List.of("ensemble closed", "ZooKeeper logs kept: " + log),
                child.out.subList(child.out.size() - 2, child.out.size()),
                child.describe());
        assertTrue(log.startsWith(tmp), log.toString());
        String logged = Files.readString(log);
        assertTrue(logged.contains("zk-sandbox command: kill leader"), "the sandbox's commands are in the log");
        assertTrue(logged.contains("org.apache.zookeeper"), "ZooKeeper's logs are in the file");
        try (Stream<Path> left = Files.list(log.getParent())) {
            assertEquals(List.of(log), left.toList(), "the ensemble's directories are gone, the log stays");
        }
    }

    @Test
    void withoutKeepLogsAQuitLeavesNothingInTheTemporaryDirectory() throws Exception {
        Child child = start();
        child.awaitLine("connect string: ");
        Path log = Path.of(child.out.get(0).substring("ZooKeeper logs: ".length()));
        assertTrue(Files.exists(log), "the log exists while the sandbox runs: " + log);
        child.send("quit\n");
        assertEquals(0, child.exitCode(), child.describe());
        assertEquals("ensemble closed", child.out.get(child.out.size() - 1), child.describe());
        assertNothingIsLeft();
    }

    @Test
    void sigtermClosesTheEnsembleAndExitsAsTerminated() throws Exception {
        Child child = start();
        child.awaitLine("connect string: ");
        // SIGTERM; Process.destroy() would also close our ends of its pipes and lose its last lines
        assertTrue(process.toHandle().destroy());
        assertEquals(128 + 15, child.exitCode(), child.describe());
        assertEquals(
                List.of("", "closing the ensemble", "ensemble closed"),
                child.out.subList(child.out.size() - 3, child.out.size()),
                child.describe());
        assertNothingIsLeft();
    }

    @Test
    void sigintClosesTheEnsembleAndExitsAsInterruptedAndKeepsTheLogWhenAsked() throws Exception {
        Child child = start("--keep-logs");
        child.awaitLine("connect string: ");
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                .inheritIO()
                .start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
        assertEquals(128 + 2, child.exitCode(), child.describe());
        assertEquals("ensemble closed", child.out.get(child.out.size() - 2), child.describe());
        assertTrue(
                child.out.get(child.out.size() - 1).matches("ZooKeeper logs kept: .*/zk-sandbox\\.log"),
                child.describe());
        assertOnlyTheLogIsLeft();
    }

    @Test
    void badArgumentsExitTwoAndLeaveNothingBehind() throws Exception {
        Child child = start("--nodes", "0");
        assertEquals(2, child.exitCode(), child.describe());
        assertEquals(List.of(), child.out);
        assertEquals("zk-sandbox: --nodes: voters must be between 1 and 15, got 0", child.err.get(0));
        assertEquals("usage: zk-sandbox [--nodes N] [--observers M] [--tls] [--keep-logs]", child.err.get(1));
        assertNothingIsLeft();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void assertNothingIsLeft() throws IOException {
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "left in java.io.tmpdir");
        }
    }

    private void assertOnlyTheLogIsLeft() throws IOException {
        try (Stream<Path> dirs = Files.list(tmp)) {
            List<Path> sandboxes = dirs.toList();
            assertEquals(1, sandboxes.size(), sandboxes.toString());
            try (Stream<Path> files = Files.list(sandboxes.get(0))) {
                assertEquals(
                        List.of("zk-sandbox.log"),
                        files.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    private Child start(String... args) throws IOException {
        // a test run in the background (nohup, CI) ignores SIGINT, and children inherit that: env (coreutils)
        // restores the default, so the child JVM installs its handler as it would from a terminal
        List<String> command = new ArrayList<>(List.of(
                "env",
                "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                ZkSandbox.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).start();
        return new Child(process);
    }

    private static final class Child {
        final List<String> out = new CopyOnWriteArrayList<>();
        final List<String> err = new CopyOnWriteArrayList<>();
        private final Process process;
        private final Thread outReader;
        private final Thread errReader;

        Child(Process process) {
            this.process = process;
            this.outReader = drain(process.getInputStream(), out);
            this.errReader = drain(process.getErrorStream(), err);
        }

        private static Thread drain(InputStream stream, List<String> lines) {
            Thread t = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                            for (String line; (line = r.readLine()) != null; ) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            lines.add("(reading failed: " + e + ")");
                        }
                    },
                    "sandbox-child-reader");
            t.setDaemon(true);
            t.start();
            return t;
        }

        void send(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void endInput() throws IOException {
            process.getOutputStream().close();
        }

        void awaitLine(String prefix) {
            await().atMost(TIMEOUT).until(() -> out.stream().anyMatch(l -> l.startsWith(prefix)) || !process.isAlive());
            assertTrue(out.stream().anyMatch(l -> l.startsWith(prefix)), describe());
        }

        int exitCode() throws InterruptedException {
            assertTrue(
                    process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the sandbox did not exit: " + describe());
            outReader.join(TimeUnit.SECONDS.toMillis(10));
            errReader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        }

        String describe() {
            return "stdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
        }
    }
}
