package io.github.zkharness.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code a node's server runs: on the shared runtime, the ZooKeeper on the application's class path, loaded once
 * for every node; on the isolated runtime, a ZooKeeper version loaded afresh in a class loader of its own
 * ({@link PeerClassLoader}) for each run of each node. Either way the harness reaches it through
 * {@link ServerSide} and {@link PeerBridge} only.
 *
 * <p>An isolated run's loader is closed once the run was shut down and no thread it started is alive
 * ({@link #closeRetired()}): ZooKeeper's election workers and session tracker outlive a shutdown by up to about 3 s,
 * and would fail with {@code NoClassDefFoundError} in a loader closed under them. Loading the first class of a loader
 * that replaces the JVM's default uncaught-exception handler ({@code NIOServerCnxnFactory}'s static initializer
 * does) happens under one lock, and the previous handler is put back: otherwise the JVM-wide handler would keep
 * the loader reachable for ever.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ServerCode {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCode.class);
    private static final String STATICS = "io.github.zkharness.internal.server.ServerStatics";
    private static final String REPLACES_DEFAULT_HANDLER = "org.apache.zookeeper.server.NIOServerCnxnFactory";

    private static ServerCode shared;
    /** Runs shut down whose loader is not closed yet; guarded by the class. */
    private static final List<Run> RETIRED = new ArrayList<>();
    /** The statics of every loader not closed yet (the shared one included), for JVM-wide changes. */
    private static final Set<ServerSide> LIVE =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final ServerVersion version;
    private final URL[] classPath;
    private final ClassFileCache files;
    private final ServerSide sharedSide;

    private ServerCode(ServerVersion version, URL[] classPath, ServerSide sharedSide) {
        this.version = version;
        this.classPath = classPath;
        this.files = classPath == null ? null : ClassFileCache.of(classPath);
        this.sharedSide = sharedSide;
    }

    /** The application's ZooKeeper, shared by every node of the shared runtime. */
    public static synchronized ServerCode shared() {
        if (shared == null) {
            ServerSide side = newSide(ServerCode.class.getClassLoader());
            LIVE.add(side);
            shared = new ServerCode(ServerVersion.onClassPath(), null, side);
        }
        return shared;
    }

    /**
     * The code a node of {@code version} runs: the shared code when {@code isolatedRuntime} is false and the version
     * is the class path's, else an isolated one.
     *
     * @throws IllegalStateException if a jar of {@code version} is missing (the message names it and the command
     *     that fetches it)
     */
    public static ServerCode of(ServerVersion version, boolean isolatedRuntime) {
        if (!isolatedRuntime && version.classpath()) {
            return shared();
        }
        // resolved each time: the local repository (maven.repo.local) may have changed, or the jars appeared
        return new ServerCode(version, ServerJars.classPath(version), null); // throws for a missing jar
    }

    /** Whether each run gets a class loader of its own. */
    public boolean isolated() {
        return classPath != null;
    }

    /** The version this code runs. */
    public ServerVersion version() {
        return version;
    }

    /** The shared runtime's statics; {@link JvmGlobals#install()} installs them. */
    ServerSide sharedSide() {
        return sharedSide;
    }

    /**
     * The code of one run: the shared statics, or a fresh loader with its statics installed.
     *
     * @throws IllegalStateException if the loader cannot load the harness's ZooKeeper side, or the jars hold another
     *     version than the one asked for
     */
    public Run load(String owner) {
        closeRetired();
        if (!isolated()) {
            return new Run(null, sharedSide);
        }
        PeerClassLoader loader = new PeerClassLoader(
                "zk-harness " + owner + " (ZooKeeper " + version + ")",
                classPath,
                ServerCode.class.getClassLoader(),
                files);
        LOADERS.incrementAndGet();
        try {
            synchronized (ServerCode.class) {
                Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
                try {
                    Class.forName(REPLACES_DEFAULT_HANDLER, true, loader);
                } finally {
                    Thread.setDefaultUncaughtExceptionHandler(previous);
                }
            }
            ServerSide side = newSide(loader);
            side.install(JvmGlobals.exitProcedure());
            String loaded = side.version();
            if (!version.classpath() && !loaded.startsWith(version.version())) {
                throw new IllegalStateException("asked for ZooKeeper " + version + " but the jars "
                        + ServerJars.describe(classPath[0]) + " hold ZooKeeper " + loaded);
            }
            LIVE.add(side);
            return new Run(loader, side);
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            closeQuietly(loader);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException(
                    "zk-harness could not load ZooKeeper " + version + " in a class loader of" + " its own: " + e, e);
        }
    }

    private static ServerSide newSide(ClassLoader loader) {
        try {
            return (ServerSide)
                    Class.forName(STATICS, true, loader).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException(
                    "zk-harness could not load its ZooKeeper side (" + STATICS + "): " + cause, cause);
        }
    }

    /** Runs {@code action} on every loaded ZooKeeper: the shared one and every isolated loader still open. */
    static void forEachSide(Consumer<ServerSide> action) {
        shared();
        List<ServerSide> sides;
        synchronized (LIVE) {
            sides = new ArrayList<>(LIVE);
        }
        sides.forEach(action);
    }

    /** Makes every loaded ZooKeeper read the four-letter-word whitelist again. */
    static void reloadFourLetterWords() {
        List<ServerSide> sides;
        synchronized (LIVE) {
            sides = new ArrayList<>(LIVE);
        }
        sides.forEach(ServerSide::reloadFourLetterWords);
    }

    /** How many isolated loaders were made so far in this JVM (for tests and benchmarks). */
    public static int loadersMade() {
        return LOADERS.get();
    }

    /** How many isolated loaders are open now: in use, or retired with threads still alive. */
    public static int loadersOpen() {
        synchronized (LIVE) {
            return (int) LIVE.stream()
                    .filter(s -> s.getClass().getClassLoader() instanceof PeerClassLoader)
                    .count();
        }
    }

    /** Closes the loader of every retired run none of whose threads is alive any more. */
    public static void closeRetired() {
        List<Run> done = new ArrayList<>();
        synchronized (ServerCode.class) {
            for (Iterator<Run> it = RETIRED.iterator(); it.hasNext(); ) {
                Run run = it.next();
                if (!run.threadsAlive()) {
                    it.remove();
                    done.add(run);
                }
            }
        }
        for (Run run : done) {
            LIVE.remove(run.side);
            closeQuietly(run.loader);
        }
    }

    private static void closeQuietly(PeerClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("closing {}", loader.getName(), e);
        }
    }

    /** The code of one run of one node. */
    public static final class Run {
        private final PeerClassLoader loader;
        private final ServerSide side;
        private volatile ThreadGroup group;

        private Run(PeerClassLoader loader, ServerSide side) {
            this.loader = loader;
            this.side = side;
        }

        /** The loader of this run, or null on the shared runtime. */
        public ClassLoader loader() {
            return loader;
        }

        /** Its statics. */
        public ServerSide side() {
            return side;
        }

        /**
         * The run is over: its loader closes once no thread of {@code group} that it started is alive. Idempotent;
         * does nothing on the shared runtime.
         */
        public void retire(ThreadGroup threads) {
            if (loader == null) {
                return;
            }
            synchronized (ServerCode.class) {
                if (group == null) {
                    group = threads;
                    RETIRED.add(this);
                }
            }
            closeRetired();
        }

        private boolean threadsAlive() {
            ThreadGroup g = group;
            Thread[] threads = new Thread[g.activeCount() + 16];
            int n = g.enumerate(threads, true);
            for (int i = 0; i < n; i++) {
                if (threads[i].isAlive() && threads[i].getContextClassLoader() == loader) {
                    return true;
                }
            }
            return false;
        }
    }
}
