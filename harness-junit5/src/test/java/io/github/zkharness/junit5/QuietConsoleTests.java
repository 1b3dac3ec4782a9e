package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quiet by default: with logback on the class path and no logback configuration (what a test class path pinned to
 * ZooKeeper 3.8 gets, since 3.8 brings logback-classic), a 3-node start, a write, a follower's restart and close
 * print next to nothing on the console, while each node's last log lines are still kept for the extension's failure
 * diagnostics. Runs in a child JVM whose class path is this one without any logback configuration file. Runs here on
 * the project's ZooKeeper and in compat-zookeeper-38 on 3.8.
 */
class QuietConsoleTests {

    private static final long CHILD_SECONDS = 120;
    /**
     * Lines the child may print besides its own: none in every run so far; a few for a harness WARN on a loaded
     * machine (those still reach the console, by design); without the quieting it is about a thousand.
     */
    private static final int MAX_CONSOLE_LINES = 3;

    @TempDir
    Path tmp;

    @Test
    void aNodeStartPrintsNothingOnTheConsoleAndEachNodeKeepsItsLines() throws Exception {
        List<String> output = runChild("quiet");

        List<String> console = output.stream()
                .filter(line -> !line.startsWith(QuietConsoleChild.KEPT))
                .toList();
        assertThat(console)
                .as("what an unconfigured logback printed on the console (at most %d lines)", MAX_CONSOLE_LINES)
                .hasSizeLessThanOrEqualTo(MAX_CONSOLE_LINES);
        String kept = output.stream()
                .filter(line -> line.startsWith(QuietConsoleChild.KEPT))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the child did not finish; its output:\n" + output));
        assertThat(kept).as("each node's kept log lines").matches("kept 1=[1-9]\\d* 2=[1-9]\\d* 3=[1-9]\\d*");
    }

    @Test
    void theCountCatchesAFlood() throws Exception {
        // the child sets org.apache.zookeeper to DEBUG itself, a level the harness leaves alone
        List<String> output = runChild("loud");

        assertThat(output.size()).as("console lines of a loud child").isGreaterThan(100);
    }

    private List<String> runChild(String how) throws IOException, InterruptedException {
        Path classes = tmp.resolve("classes");
        copyClass(QuietConsoleChild.class, classes);
        List<String> classPath = new ArrayList<>();
        classPath.add(classes.toString());
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !holdsLogbackConfiguration(Path.of(entry)))
                .forEach(classPath::add);
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                String.join(File.pathSeparator, classPath),
                QuietConsoleChild.class.getName(),
                how);
        Path output = tmp.resolve("child-" + how + ".out");
        Process process = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the child JVM (" + how + ") did not end within " + CHILD_SECONDS
                    + " s; its output:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("the child's exit code; its output:\n%s", String.join("\n", lines))
                .isZero();
        return lines;
    }

    /** Copies the child's class file out of this class path (a directory or the test jar) into {@code dir}. */
    private static void copyClass(Class<?> type, Path dir) throws IOException {
        String file = type.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = type.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is not on the class path");
            }
            Files.copy(in, target);
        }
    }

    private static boolean holdsLogbackConfiguration(Path entry) {
        List<String> names = List.of("logback-test.xml", "logback.xml", "logback-test.scmo", "logback.scmo");
        if (Files.isDirectory(entry)) {
            return names.stream().anyMatch(name -> Files.exists(entry.resolve(name)));
        }
        if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (ZipFile jar = new ZipFile(entry.toFile())) {
                return names.stream().anyMatch(name -> jar.getEntry(name) != null);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
