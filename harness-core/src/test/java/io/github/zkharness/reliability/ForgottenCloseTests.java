package io.github.zkharness.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ensemble nobody closes leaves nothing behind (issue 28), seen from outside, in a child JVM running
 * {@link ForgottenCloseChild}: a {@code main} that returns without {@code close()} still ends (ZooKeeper's server
 * threads are not daemons: without the harness's watcher the JVM would wait for them forever), one that calls
 * {@code System.exit} is cleaned by the shutdown hook, and either way no {@code zk-harness-*} directory stays in the
 * temporary directory and one warning names the ensemble and the line of {@code main} that built it: on
 * {@code System.err} without an SLF4J backend, through SLF4J (here logback's file) with one.
 */
class ForgottenCloseTests {

    /** A child that hangs is destroyed after this and fails the test. */
    private static final long CHILD_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void aMainThatReturnsWithoutCloseEndsAndLeavesNothing() throws Exception {
        Run run = runChild("return", false);
        assertEquals(0, run.exitCode, run.output);
        assertTrue(
                run.output.contains("ensemble zk-harness-1 was never closed: only its threads kept the JVM alive (every"
                        + " non-daemon thread of the application has ended), so zk-harness closed it for the JVM to"
                        + " exit (its directories deleted, its ports and threads released)."),
                run.output);
        assertBuiltAtMain(run.output);
        assertEquals(1, count(run.output, "was never closed"), run.output);
        assertNothingLeft();
    }

    @Test
    void aMainThatExitsWithoutCloseLeavesNothing() throws Exception {
        Run run = runChild("exit", false);
        assertEquals(0, run.exitCode, run.output);
        assertTrue(
                run.output.contains("ensemble zk-harness-1 was never closed: the JVM is exiting, so zk-harness closed"
                        + " it (its directories deleted, its ports and threads released)."),
                run.output);
        assertBuiltAtMain(run.output);
        assertNothingLeft();
    }

    @Test
    void withAnSlf4jBackendTheWarningGoesThroughIt() throws Exception {
        Run run = runChild("return", true);
        assertEquals(0, run.exitCode, run.output);
        // harness-core's logback-test.xml sends io.github.zkharness to target/zookeeper-tests.log (the child's)
        String log = Files.readString(tmp.resolve("target/zookeeper-tests.log"));
        assertTrue(log.contains("WARN") && log.contains("ensemble zk-harness-1 was never closed"), log);
        assertBuiltAtMain(log);
        assertTrue(!run.output.contains("was never closed"), "the warning went to System.err too:\n" + run.output);
        assertNothingLeft();
    }

    private static void assertBuiltAtMain(String text) {
        assertTrue(
                text.contains("zk-harness-1 was built here")
                        && text.contains(
                                "at " + ForgottenCloseChild.class.getName() + ".main(ForgottenCloseChild.java:"),
                "the warning names where the ensemble was built:\n" + text);
    }

    private void assertNothingLeft() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(
                    List.of(),
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith("zk-harness"))
                            .toList());
        }
    }

    private record Run(int exitCode, String output) {}

    private Run runChild(String how, boolean withLogback) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> withLogback || !entry.contains("logback"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                classPath,
                ForgottenCloseChild.class.getName(),
                how));
        Path output = Files.createTempFile("zk-forgotten-close-child", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(tmp.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the child JVM (" + how + " without close()) did not end within "
                        + CHILD_SECONDS + " s; its output:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
