package io.github.zkharness.sandbox;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs {@link ZkSandbox#run} on its own thread and talks to it like a person at a terminal: send a line, wait
 * for the answer. Only complete output lines are ever looked at.
 */
final class SandboxDriver implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String END = new String("end of input"); // compared by identity

    private final LinkedBlockingQueue<String> input = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "sandbox-driver"));
    private final Future<Integer> exit;
    final ZkSandbox sandbox = new ZkSandbox();
    private int read; // output lines already returned by next()

    SandboxDriver(String... args) {
        BufferedReader in = new BufferedReader(new StringReader("")) {
            @Override
            public String readLine() {
                try {
                    String line = input.poll(2, TimeUnit.MINUTES); // a test that forgets to end input still ends
                    return line == null || line == END ? null : line;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        };
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        exit = thread.submit(() -> sandbox.run(args, in, out, err, false));
    }

    /** Every complete line printed so far. */
    List<String> lines() {
        String text = outBytes.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n", -1));
    }

    String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    void send(String line) {
        input.add(line);
    }

    void endInput() {
        input.add(END);
    }

    /** The next output line not returned yet, waiting for it. */
    String next() {
        return next(line -> true);
    }

    /** Skips output lines until one matches, and returns it; fails after {@link #TIMEOUT} showing the output. */
    String next(Predicate<String> wanted) {
        AtomicReference<String> found = new AtomicReference<>();
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> {
                List<String> lines = lines();
                while (read < lines.size()) {
                    String line = lines.get(read++);
                    if (wanted.test(line)) {
                        found.set(line);
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "the sandbox printed no expected line within " + TIMEOUT.toSeconds() + " s"
                            + (exit.isDone() ? " and exited" : "") + "; it printed " + lines()
                            + ", and on standard error: " + err(),
                    e);
        }
        return found.get();
    }

    /**
     * The first line printed after those already returned, if one comes within {@code wait}, else null (after a
     * command that prints one line, none should).
     */
    String extraLine(Duration wait) {
        try {
            await().during(wait)
                    .atMost(wait.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> lines().size() <= read);
            return null;
        } catch (ConditionTimeoutException e) {
            return lines().get(read);
        }
    }

    /** Sends a command that prints exactly one line, and returns that line. */
    String ask(String command) {
        skipPrinted();
        send(command);
        return next();
    }

    /** Marks everything printed so far as read. */
    void skipPrinted() {
        read = lines().size();
    }

    int exitCode() throws ExecutionException, TimeoutException {
        try {
            return exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the sandbox to exit", e);
        }
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        endInput();
        try {
            exitCode();
        } finally {
            thread.shutdownNow();
        }
    }
}
