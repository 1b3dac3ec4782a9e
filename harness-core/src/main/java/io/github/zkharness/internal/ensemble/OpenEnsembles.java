package io.github.zkharness.internal.ensemble;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Every ensemble of this JVM that was started and not closed yet, so that one the user forgot to close leaves
 * nothing behind:
 *
 * <ul>
 *   <li>at JVM exit (a shutdown hook, registered once) it is closed: directories deleted, threads and ports
 *       released;
 *   <li>when only the harness's own threads keep the JVM alive (a {@code main} that returned without
 *       {@code close()}: ZooKeeper's server threads are not daemons, so the JVM would never end and no shutdown
 *       hook would run), a daemon watcher closes it, and the JVM ends as it would have without zk-harness.
 * </ul>
 *
 * <p>Either way the ensemble is named in one warning with the stack trace of where it was built, through SLF4J
 * (logger {@code io.github.zkharness.UnclosedEnsemble}, level WARN) and, when no SLF4J backend is bound (the
 * warning would go nowhere), on {@code System.err}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class OpenEnsembles {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.zkharness.UnclosedEnsemble");
    private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The JVM's thread that waits for the last non-daemon thread after {@code main} returned. */
    private static final String DESTROY_JAVA_VM = "DestroyJavaVM";

    private static final Map<String, Entry> OPEN = new ConcurrentHashMap<>();
    /** Those being closed by the watcher or the hook right now. */
    private static final List<Entry> CLOSING = new CopyOnWriteArrayList<>();

    private static boolean hookInstalled;
    private static Thread watcher;

    private record Entry(Cluster cluster, Lifecycle lifecycle) {}

    private OpenEnsembles() {}

    /** Records {@code cluster} as open (its first start begins); starts the watcher and hook when needed. */
    static void opened(Cluster cluster, Lifecycle lifecycle) {
        OPEN.put(cluster.name(), new Entry(cluster, lifecycle));
        synchronized (OpenEnsembles.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(OpenEnsembles::atExit, "zk-harness-exit-cleanup"));
                hookInstalled = true;
            }
            if (watcher == null || !watcher.isAlive()) {
                watcher = new Thread(OpenEnsembles::watch, "zk-harness-unclosed-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
        }
    }

    /** Records that {@code cluster} is closed. */
    static void closed(Cluster cluster) {
        OPEN.remove(cluster.name(), OPEN.get(cluster.name()));
    }

    /** The open ensemble named {@code name}, or null. */
    static Cluster cluster(String name) {
        Entry e = OPEN.get(name);
        return e == null ? null : e.cluster();
    }

    // ------------------------------------------------------------------------------------------------ watcher

    private static void watch() {
        while (true) {
            LockSupport.parkNanos(WATCH_NANOS);
            synchronized (OpenEnsembles.class) {
                if (OPEN.isEmpty()) {
                    watcher = null;
                    return; // nothing to watch: no thread of the harness stays behind; the next start makes a new one
                }
            }
            if (onlyHarnessThreadsKeepTheJvm()) {
                closeAll("only its threads kept the JVM alive (every non-daemon thread of the application has ended)"
                        + ", so zk-harness closed it for the JVM to exit");
            }
        }
    }

    /**
     * Whether every live non-daemon thread is an open ensemble's (or the JVM's {@code DestroyJavaVM}, which waits
     * for them): then nothing of the application can use the ensembles any more, and without them the JVM would end.
     */
    static boolean onlyHarnessThreadsKeepTheJvm() {
        List<ThreadGroup> groups = new ArrayList<>();
        OPEN.values().forEach(e -> groups.add(e.cluster().threads));
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 32];
        int n = root.enumerate(all, true);
        boolean any = false;
        for (int i = 0; i < n; i++) {
            Thread t = all[i];
            if (t.isDaemon() || !t.isAlive() || t.getName().equals(DESTROY_JAVA_VM)) {
                continue;
            }
            if (!ownedByAny(t, groups)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static boolean ownedByAny(Thread t, List<ThreadGroup> groups) {
        ThreadGroup g = t.getThreadGroup();
        if (g == null) {
            return false; // ended meanwhile
        }
        for (ThreadGroup own : groups) {
            if (own.parentOf(g)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ closing

    private static void atExit() {
        closeAll("the JVM is exiting, so zk-harness closed it");
        for (Entry e : CLOSING) {
            e.lifecycle()
                    .close(); // one the watcher is closing: wait (on the ensemble's lock) until its directories are
            // gone
        }
    }

    private static void closeAll(String why) {
        for (Entry e : List.copyOf(OPEN.values())) {
            if (!OPEN.remove(e.cluster().name(), e)) {
                continue; // closed meanwhile, or claimed by the watcher or the exit hook: one warning each
            }
            CLOSING.add(e);
            warn(e.cluster(), why);
            try {
                e.lifecycle().close();
            } catch (RuntimeException failure) {
                LOG.warn("{}: error while closing it: {}", e.cluster().name(), failure.toString());
            } finally {
                CLOSING.remove(e);
            }
        }
    }

    private static void warn(Cluster cluster, String why) {
        String message = "ensemble " + cluster.name() + " was never closed: " + why
                + " (its directories deleted, its ports and threads released). Close it where it was built (try"
                + " (ZkEnsemble zk = ...start()) { ... }):";
        Throwable builtAt = cluster.builtAt();
        LOG.warn(message, builtAt);
        if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
            StringWriter trace = new StringWriter();
            builtAt.printStackTrace(new PrintWriter(trace));
            System.err.print("[zk-harness] WARN " + message + System.lineSeparator() + trace);
            System.err.flush();
        }
    }
}
