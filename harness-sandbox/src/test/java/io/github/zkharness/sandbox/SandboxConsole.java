package io.github.zkharness.sandbox;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A person at the sandbox's prompt: {@link ZkSandbox#run} on its own thread, its standard input a pipe we write
 * lines into, its standard output cut into lines we wait for, each wait bounded.
 */
final class SandboxConsole implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final LinkedBlockingQueue<String> screen = new LinkedBlockingQueue<>();
    private final StringBuilder errors = new StringBuilder();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "zk-reliability-sandbox");
        t.setDaemon(true);
        return t;
    });
    private final Future<Integer> exit;
    private final List<String> seen = new ArrayList<>();

    SandboxConsole(String... args) throws IOException {
        PipedInputStream in = new PipedInputStream(keyboard, 1 << 20);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new LineSink(screen, null), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new LineSink(null, errors), true, StandardCharsets.UTF_8);
        exit = thread.submit(() -> new ZkSandbox().run(args, reader, out, err, false));
    }

    /** Waits for a line that matches and returns it; every line before it is kept in {@link #seen()}. */
    String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = screen.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the sandbox printed no expected line within " + WAIT.toSeconds() + " s; it printed "
                    + seen + (exited() ? " and exited" : ""));
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Types a command and returns the one line it prints. */
    String ask(String command) throws IOException, InterruptedException {
        type(command);
        return awaitLine(line -> true);
    }

    void type(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Whether another line arrives within {@code wait} (it should not, after a command that prints one line). */
    String extraLine(Duration wait) throws InterruptedException {
        return screen.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean exited() {
        return exit.isDone();
    }

    List<String> seen() {
        return List.copyOf(seen);
    }

    String errors() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    /** Ends the input and returns the exit code. */
    int endInput() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        keyboard.close();
        return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    int exitCode() throws InterruptedException, ExecutionException, TimeoutException {
        return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            if (!exited()) {
                endInput();
            }
        } finally {
            thread.shutdownNow();
        }
    }

    /** Collects written bytes and hands on every complete line. */
    private static final class LineSink extends OutputStream {
        private final LinkedBlockingQueue<String> lines;
        private final StringBuilder all;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(LinkedBlockingQueue<String> lines, StringBuilder all) {
            this.lines = lines;
            this.all = all;
        }

        @Override
        public synchronized void write(int b) {
            if (all != null) {
                synchronized (all) {
                    all.append((char) b);
                }
            }
            if (b == '\n') {
                if (lines != null) {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                }
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
