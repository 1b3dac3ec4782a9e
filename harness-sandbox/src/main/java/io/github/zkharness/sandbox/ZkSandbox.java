package io.github.zkharness.sandbox;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkTls;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * The interactive sandbox behind {@code bin/zk-sandbox}: starts an ensemble in this JVM, prints its nodes and
 * connect string, then runs commands read from standard input, one per line ({@code help} lists them). With a
 * terminal it prompts with {@code zk> }; piped, it reads plain lines, so it can be scripted. Every command
 * prints its outcome, or one line starting with {@code error: }, on standard output.
 *
 * <p>{@code quit}, {@code exit} and the end of input close the ensemble and exit 0. Ctrl-C (SIGINT) and SIGTERM close
 * it too, and the JVM then exits as any program ended by that signal does (130 for Ctrl-C, 143 for SIGTERM). Bad
 * command-line arguments print the usage on standard error and exit 2; an ensemble that does not start exits 1.
 *
 * <p>{@link #main} sends ZooKeeper's logs to {@code zk-sandbox.log} in a fresh temporary directory (which also
 * holds the ensemble's directories while it runs) using {@code zk-sandbox-logback.xml}, when logback is on the
 * class path and no other logback configuration was given. On exit that directory is deleted, log included,
 * unless {@code --keep-logs} was given: then the log stays and its path is printed as the last line.
 */
public final class ZkSandbox {

    static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: zk-sandbox [--nodes N] [--observers M] [--tls] [--keep-logs]",
            "  --nodes N       servers in all, observers included (default 3)",
            "  --observers M   how many of the N servers are observers; the other N - M vote (default 0)",
            "  --tls           TLS on the client ports and between peers, with generated certificates; prints the",
            "                  trust store, its password and a zkCli command line that connects",
            "  --keep-logs     keep ZooKeeper's log file after exit and print where it is (by default it is deleted)",
            "Starts an Apache ZooKeeper ensemble in one JVM, prints its nodes and connect string, then reads",
            "commands from standard input, one per line (type help for the list).");

    /** The logback configuration {@link #main} uses unless one is given: everything to {@link #LOG_FILE_PROPERTY}. */
    static final String LOGBACK_RESOURCE = "zk-sandbox-logback.xml";
    /** The system property naming the log file; {@code zk-sandbox-logback.xml} reads it. */
    static final String LOG_FILE_PROPERTY = "zk.sandbox.log";

    private static final String LOGBACK_PROPERTY = "logback.configurationFile";
    /** The log file's name in the sandbox's temporary directory. */
    static final String LOG_FILE_NAME = "zk-sandbox.log";
    /** What the sandbox prints last with {@code --keep-logs}, before the log file's path. */
    static final String LOGS_KEPT = "ZooKeeper logs kept: ";

    private final Path baseDirectory;
    private final String logLocation;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean logsHandled = new AtomicBoolean();
    private volatile boolean keepLogs;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ZkEnsemble ensemble;
    /** The sandbox's own ZooKeeper clients (create, get, ...), closed before the ensemble. */
    private final ClientCommands clients = new ClientCommands();
    /** The chaos command's state: a run going on is closed before the ensemble. */
    private volatile ChaosCommands chaos;

    private volatile PrintStream out = System.out;
    private volatile PrintStream err = System.err;

    /** A sandbox whose ensemble lives in a fresh temporary directory and which prints nothing about logs. */
    public ZkSandbox() {
        this(null, null);
    }

    /**
     * @param baseDirectory where the ensemble creates its directory, or null for the system's temporary one
     * @param logLocation   where ZooKeeper's logs go, printed once at startup; null prints nothing
     */
    ZkSandbox(Path baseDirectory, String logLocation) {
        this.baseDirectory = baseDirectory;
        this.logLocation = logLocation;
    }

    // ---------------------------------------------------------------------------------------------- main

    /**
     * Runs the sandbox on this JVM's standard input and output (see the class comment) and exits with
     * {@link #run}'s code; {@code --keep-logs} keeps the log file, which is otherwise deleted with its directory.
     */
    public static void main(String[] args) {
        // Logging first: the first logger anyone makes (ZkEnsemble has a static one, and argument checks use
        // its builder) fixes logback's configuration for good.
        Path workDir;
        try {
            workDir = Files.createTempDirectory("zk-sandbox-");
        } catch (IOException e) {
            System.err.println("zk-sandbox: cannot create a temporary directory: " + e.getMessage());
            System.exit(1);
            return;
        }
        ZkSandbox sandbox = new ZkSandbox(workDir, configureLogging(workDir.resolve(LOG_FILE_NAME)));
        Thread hook = new Thread(sandbox::onJvmShutdown, "zk-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
        int code = sandbox.run(args, in, System.out, System.err, stdinIsTerminal());
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownUnderWay) {
            // Ctrl-C came as run() ended: the hook waits for the ensemble to close, and the JVM exits for the signal
        }
        sandbox.keepOrDeleteLogs();
        System.exit(code);
    }

    /**
     * The end of a run started by {@link #main}: deletes the temporary directory, log included, unless the user
     * asked for {@code --keep-logs} and the log is there (then prints where it is). Runs once: from {@link #main}
     * after {@link #run} returned, or from the shutdown hook after it closed the ensemble.
     */
    private void keepOrDeleteLogs() {
        if (baseDirectory == null || !logsHandled.compareAndSet(false, true)) {
            return;
        }
        Path log = baseDirectory.resolve(LOG_FILE_NAME);
        if (keepLogs && Files.exists(log)) {
            out.println(LOGS_KEPT + log);
            out.flush();
        } else {
            deleteQuietly(baseDirectory); // also after bad arguments or --help: nothing ran, nothing to look at
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover empty directory in the system's temporary directory is harmless
        }
    }

    /**
     * Points logback at {@code zk-sandbox-logback.xml} and {@code logFile}, unless the user configured
     * logging, and returns where the logs go, for the startup banner. Runs before any logger exists.
     */
    static String configureLogging(Path logFile) {
        boolean ours = System.getProperty(LOGBACK_PROPERTY) == null;
        if (ours) {
            System.setProperty(LOGBACK_PROPERTY, LOGBACK_RESOURCE);
        }
        if (System.getProperty(LOG_FILE_PROPERTY) == null) {
            System.setProperty(LOG_FILE_PROPERTY, logFile.toString());
        }
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        if (factory.startsWith("org.slf4j.helpers.")) {
            return "none (no SLF4J provider such as logback-classic on the class path)";
        }
        if (!factory.startsWith("ch.qos.logback.")) {
            return "as configured for " + factory;
        }
        return ours
                ? System.getProperty(LOG_FILE_PROPERTY)
                : "as configured in " + System.getProperty(LOGBACK_PROPERTY);
    }

    /** Whether standard input and output are a terminal: then the sandbox prompts. */
    static boolean stdinIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a Console for redirected streams too; isTerminal() tells them apart
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException before22) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------- run

    /**
     * Parses {@code args}, starts the ensemble, prints it, runs the commands read from {@code in} until
     * {@code quit}, {@code exit} or the end of input, and closes the ensemble.
     *
     * @param interactive whether to prompt ({@code zk> }) before each command
     * @return the exit code: 0 after quit or the end of input, 1 if the ensemble did not start, 2 for bad arguments
     */
    public int run(String[] args, BufferedReader in, PrintStream out, PrintStream err, boolean interactive) {
        Objects.requireNonNull(args, "args must not be null");
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(out, "out must not be null");
        Objects.requireNonNull(err, "err must not be null");
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            printUsageError(err, e);
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        keepLogs = options.keepLogs();
        this.out = out;
        this.err = err;
        if (logLocation != null) {
            out.println("ZooKeeper logs: " + logLocation);
            out.flush();
        }
        try {
            ZkEnsemble.Builder builder = ZkEnsemble.builder()
                    .voters(options.voters())
                    .observers(options.observers())
                    .tls(options.tls());
            if (baseDirectory != null) {
                builder.baseDirectory(baseDirectory);
            }
            ZkEnsemble zk = builder.build();
            ensemble = zk; // before start(): Ctrl-C during the start closes it too
            zk.start();
        } catch (RuntimeException e) {
            err.println("zk-sandbox: the ensemble did not start: " + e.getMessage());
            closeOnce(false);
            return 1;
        }
        try {
            chaos = new ChaosCommands(out);
            if (options.tls()) {
                clients.useClientConfig(ensemble.tls().clientConfig());
            }
            Session session = new Session(ensemble, out, BuiltinCommands.standard(clients, chaos));
            printStartup(out, interactive, options.tls());
            readCommands(session, in, out, err, interactive);
            return 0;
        } catch (RuntimeException e) {
            if (closing.get()) {
                return 0; // Ctrl-C closed the ensemble under us (e.g. while printing it); the hook reports
            }
            throw e;
        } finally {
            closeOnce(true);
        }
    }

    /** The JVM flags that make ZooKeeper's own zkCli connect to a TLS ensemble. */
    static String tlsClientFlags(ZkTls tls) {
        return String.join(
                " ",
                "-Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty",
                "-Dzookeeper.client.secure=true",
                "-Dzookeeper.ssl.trustStore.location=" + tls.trustStore(),
                "-Dzookeeper.ssl.trustStore.password=" + tls.password(),
                "-Dzookeeper.ssl.trustStore.type=" + ZkTls.STORE_TYPE);
    }

    private void printStartup(PrintStream out, boolean interactive, boolean tls) {
        StatusFormat.startupTable(ensemble.status()).forEach(out::println);
        if (tls) {
            ZkTls material = ensemble.tls();
            out.println("trust store: " + material.trustStore() + " (" + ZkTls.STORE_TYPE + ", password "
                    + material.password() + ")");
            out.println("zkCli over TLS: CLIENT_JVMFLAGS=\"" + tlsClientFlags(material) + "\" zkCli.sh -server "
                    + ensemble.connectString());
        }
        out.println("connect string: " + ensemble.connectString());
        if (interactive) {
            out.println("type help for the commands, quit to exit");
        }
        out.flush();
    }

    private static void readCommands(
            Session session, BufferedReader in, PrintStream out, PrintStream err, boolean interactive) {
        while (true) {
            if (interactive) {
                out.print("zk> ");
                out.flush();
            }
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                err.println("zk-sandbox: cannot read standard input (" + e.getMessage() + "); closing");
                return;
            }
            if (line == null) {
                if (interactive) {
                    out.println();
                }
                return;
            }
            if (!session.execute(line)) {
                return;
            }
        }
    }

    /** Closes the ensemble unless the shutdown hook does; waits for it then. */
    private void closeOnce(boolean announce) {
        if (closing.compareAndSet(false, true)) {
            try {
                closeEnsemble(announce);
            } finally {
                closed.countDown();
            }
        } else {
            awaitClosed();
        }
    }

    private void closeEnsemble(boolean announce) {
        ChaosCommands running = chaos;
        if (running != null) {
            running.close();
        }
        clients.close();
        ZkEnsemble zk = ensemble;
        if (zk == null) {
            return;
        }
        try {
            zk.close();
        } catch (RuntimeException e) {
            // close() cleans up first, then reports e.g. that ZooKeeper asked the JVM to exit meanwhile
            err.println("zk-sandbox: " + e.getMessage());
        }
        if (announce) {
            out.println("ensemble closed");
        }
        out.flush();
    }

    /**
     * Ctrl-C, SIGTERM, or the JVM ending otherwise while {@link #run} still runs: close the ensemble. The JVM then exits
     * with the code of whatever ended it (128 + the signal's number for a signal), as any program does.
     */
    private void onJvmShutdown() {
        if (closing.compareAndSet(false, true)) {
            try {
                if (ensemble != null) {
                    out.println();
                    out.println("closing the ensemble");
                    out.flush();
                }
                closeEnsemble(ensemble != null);
            } finally {
                closed.countDown();
            }
        } else {
            awaitClosed();
        }
        keepOrDeleteLogs();
        out.flush();
        err.flush();
    }

    private void awaitClosed() {
        try {
            closed.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ensemble, once {@link #run} has built it (for tests). */
    ZkEnsemble ensemble() {
        return ensemble;
    }

    private static void printUsageError(PrintStream err, UsageException e) {
        err.println("zk-sandbox: " + e.getMessage());
        err.println(USAGE);
        err.flush();
    }

    // ---------------------------------------------------------------------------------------------- options

    /** The command line: how many voters and observers, whether to keep the logs, or a request for the usage. */
    record Options(int voters, int observers, boolean keepLogs, boolean help, boolean tls) {

        static Options parse(String[] args) throws UsageException {
            int nodes = 3;
            int observers = 0;
            boolean keepLogs = false;
            boolean tls = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String flag = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    flag = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                switch (flag) {
                    case "-h", "--help" -> {
                        if (value != null) {
                            throw new UsageException(flag + " takes no value");
                        }
                        return new Options(nodes - observers, observers, keepLogs, true, tls);
                    }
                    case "--keep-logs" -> {
                        if (value != null) {
                            throw new UsageException(flag + " takes no value");
                        }
                        keepLogs = true;
                    }
                    case "--tls" -> {
                        if (value != null) {
                            throw new UsageException(flag + " takes no value");
                        }
                        tls = true;
                    }
                    case "--nodes", "--observers" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new UsageException(flag + " needs a number");
                            }
                            value = args[++i];
                        }
                        int n = number(flag, value);
                        if (flag.equals("--nodes")) {
                            nodes = n;
                        } else {
                            observers = n;
                        }
                    }
                    default ->
                        throw new UsageException(
                                (arg.startsWith("-") ? "unknown option " : "unexpected argument ") + "\"" + arg + "\"");
                }
            }
            if (observers >= nodes && nodes >= 1 && observers >= 0) {
                throw new UsageException("--observers " + observers + " leaves no voter among --nodes " + nodes
                        + ": observers must be fewer than nodes");
            }
            int voters = nodes - observers;
            try {
                ZkEnsemble.builder().observers(observers);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--observers: " + e.getMessage());
            }
            try {
                ZkEnsemble.builder().voters(voters);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--nodes: " + e.getMessage()
                        + (observers > 0 ? " (" + nodes + " nodes less " + observers + " observers)" : ""));
            }
            return new Options(voters, observers, keepLogs, false, tls);
        }

        private static int number(String flag, String value) throws UsageException {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new UsageException(flag + " needs a whole number, got \"" + value + "\"");
            }
        }
    }

    /** The command line is wrong: the sandbox prints this and the usage, and exits 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
