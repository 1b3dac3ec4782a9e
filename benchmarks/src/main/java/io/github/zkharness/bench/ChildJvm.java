package io.github.zkharness.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A child JVM in which one side of the benchmark runs: Curator's always ({@link CuratorScenarios}), zk-harness's for
 * the cold starts ({@link HarnessChild}). Same java, same heap options, same class path (so the same ZooKeeper jar),
 * its own {@code java.io.tmpdir} (a fresh directory inside the benchmark's, so that what TestingCluster leaves there
 * can be counted and deleted), its log in a file of its own. If it dies (TestingCluster exits the JVM when a port is
 * taken), the run is retried in a new one and the death is counted.
 *
 * <p>The protocol, both ends here: the benchmark writes one command a line to the child's standard input; the child
 * ({@link #serve}) answers each with one line on its standard output, {@code ok <run>} or {@code err <message>}.
 */
final class ChildJvm implements AutoCloseable {

    private static final String EOF = "\u0000eof";

    private final Path tmpDir;
    private final Path log;
    private int incarnation;
    private Path currentLog;
    private final Path errors;
    private final List<String> deaths = new ArrayList<>();
    private Process process;
    private PrintStream commands;
    private BlockingQueue<String> answers;

    private final List<String> extraArgs;
    private final String side;
    private final Class<?> main;

    /** A JVM for Curator's side; {@code extraArgs}: more JVM options, e.g. {@code -Dzookeeper.forceSync=no}. */
    static ChildJvm curator(Path log, List<String> extraArgs) throws IOException {
        return new ChildJvm("Curator", CuratorScenarios.class, log, extraArgs);
    }

    /** A JVM for zk-harness's side (the cold starts). */
    static ChildJvm harness(Path log) throws IOException {
        return new ChildJvm("zk-harness", HarnessChild.class, log, List.of());
    }

    private ChildJvm(String side, Class<?> main, Path log, List<String> extraArgs) throws IOException {
        this.side = side;
        this.main = main;
        this.extraArgs = List.copyOf(extraArgs);
        this.tmpDir = Files.createTempDirectory("zk-bench-child-tmp-");
        this.log = log;
        this.errors = log.resolveSibling(log.getFileName().toString().replaceAll("\\.log$", "") + ".err");
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroy, "zk-bench-child-jvm-reaper"));
    }

    /** The child's command line, heap options copied from this JVM. */
    private List<String> commandLine() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("-Xms") || arg.startsWith("-Xss")) {
                cmd.add(arg);
            }
        }
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback); // a diagnostic log configuration: both sides alike
        }
        cmd.addAll(extraArgs);
        cmd.add("-Djava.io.tmpdir=" + tmpDir);
        cmd.add("-Dzk.bench.log=" + currentLog);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        return cmd;
    }

    String describeCommandLine() {
        if (currentLog == null) {
            currentLog = log;
        }
        List<String> cmd = commandLine();
        cmd.set(0, "java");
        return String.join(" ", cmd)
                .replace(System.getProperty("java.class.path"), "<the benchmark's class path>")
                .replace(tmpDir.toString(), "<a fresh directory>")
                .replace(log.getParent() + java.io.File.separator, "");
    }

    private void startProcess() throws IOException {
        incarnation++;
        String name = log.getFileName().toString().replaceAll("\\.log$", "");
        currentLog = incarnation == 1 ? log : log.resolveSibling(name + "-" + incarnation + ".log"); // a new JVM's log
        process = new ProcessBuilder(commandLine())
                .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()))
                .start();
        commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            queue.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process died: EOF below
                    }
                    queue.add(EOF);
                },
                "zk-bench-child-jvm-reader");
        reader.setDaemon(true);
        reader.start();
        answers = queue;
    }

    /**
     * Runs {@code command} in the child JVM (started on first use) and returns its run. A death of the JVM is
     * counted and the command tried again in a new one, up to 3 times.
     */
    Run run(String command, long timeoutSeconds) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (process == null || !process.isAlive()) {
                startProcess();
            }
            commands.println(command);
            String answer = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (answer == null) {
                destroy();
                throw new IllegalStateException(
                        "the " + side + " JVM did not answer '" + command + "' within " + timeoutSeconds + " s");
            }
            if (answer.startsWith("ok ")) {
                return Run.decode(answer.substring(3));
            }
            if (answer.startsWith("err ")) {
                throw new IllegalStateException(side + " side failed: " + answer.substring(4));
            }
            // EOF: the JVM exited (TestingCluster / ZooKeeper call System.exit, e.g. when a port is taken)
            process.waitFor(10, TimeUnit.SECONDS);
            String death = "the " + side + " JVM exited with code " + process.exitValue() + " during '" + command + "'"
                    + cause(currentLog);
            deaths.add(death);
            process = null;
            if (attempt == 3) {
                throw new IllegalStateException(death + ", 3 times in a row");
            }
        }
    }

    /** What ZooKeeper logged as the reason before it asked the JVM to exit, if the log says. */
    private static String cause(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("error during server lifecycle") && i + 1 < lines.size()) {
                    return " (ZooKeeper logged: error during server lifecycle: "
                            + lines.get(i + 1).trim() + "; see " + log + ")";
                }
            }
            return " (see " + log + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** How often the child JVM died under a command, and where. */
    List<String> deaths() {
        return List.copyOf(deaths);
    }

    Path tmpDir() {
        return tmpDir;
    }

    Path errors() {
        return errors;
    }

    /**
     * Ends the child JVM, counts what TestingCluster left in its {@code java.io.tmpdir} (files, directories not
     * counted), deletes it, and returns that count with the first few names.
     */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            commands.println("quit");
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroy();
            }
        }
    }

    /** Counts the files left in the child JVM's tmpdir, by kind, then deletes them all with the directory. */
    LeftFiles deleteLeftFiles() {
        List<Path> files = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tmpDir)) {
            walk.forEach(path -> {
                all.add(path);
                if (Files.isRegularFile(path)) {
                    files.add(tmpDir.relativize(path));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(Comparator.reverseOrder());
        for (Path path : all) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
        return new LeftFiles(
                files.size(),
                all.size() - 1 - files.size(),
                files.stream().limit(3).map(Path::toString).toList());
    }

    record LeftFiles(int files, int directories, List<String> examples) {}

    /** What a child does with one command, its words split on spaces. */
    interface Commands {
        Run run(String[] command) throws Exception;
    }

    /**
     * The child's end: answers each command line on standard input with {@code ok <run>} or {@code err <message>}
     * until {@code quit} or the end of input, then exits the JVM (threads a closed TestingCluster leaves behind, its
     * election workers, would keep it up a while). Whatever else prints goes to standard error.
     */
    static void serve(Commands commands) throws IOException {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // whatever else prints must not mix with the answers
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.trim().split(" ");
            if (command[0].equals("quit")) {
                break;
            }
            try {
                System.gc();
                answers.println("ok " + commands.run(command).encode());
            } catch (Throwable e) {
                e.printStackTrace();
                answers.println("err " + String.valueOf(e).replace('\n', ' '));
            }
        }
        System.exit(0);
    }

    private void destroy() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
        }
    }
}
