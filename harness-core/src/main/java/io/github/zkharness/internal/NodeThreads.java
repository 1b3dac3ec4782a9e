package io.github.zkharness.internal;

import io.github.zkharness.ThreadFailure;
import java.lang.Thread.UncaughtExceptionHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread group of one node: every thread its peer starts, directly or not, belongs to it, and every one of
 * them that dies of an uncaught exception is recorded here as a {@link ThreadFailure} before it is passed on as
 * usual (to the parent group and so to the JVM's default handler, which ZooKeeper sets to log
 * {@code "Thread ... died"}).
 *
 * <p>Two ways in, because ZooKeeper's threads come in two kinds:
 * <ul>
 *   <li>plain threads (election workers {@code WorkerSender}/{@code WorkerReceiver}, reachability checks) have no
 *       handler of their own: the JVM hands their deaths to this group ({@link #uncaughtException});</li>
 *   <li>{@code ZooKeeperThread}s set a handler of their own in their constructor, which the JVM prefers to the
 *       group. Once {@link #watch()} was called, a shared watcher thread (outside every ensemble) wraps each such
 *       handler within {@value #SWEEP_MS} ms of the thread's start: the wrapper records, then calls ZooKeeper's
 *       handler. A {@code ZooKeeperThread} that dies sooner is only in ZooKeeper's log. What ZooKeeper catches
 *       itself (its request processors catch everything and stop their server) is no uncaught exception.</li>
 * </ul>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NodeThreads extends ThreadGroup {

    /** How many failures a node keeps; later ones are counted only. */
    public static final int KEPT = 100;

    static final long SWEEP_MS = 25;

    private static final Logger LOG = LoggerFactory.getLogger(NodeThreads.class);

    /** Groups the watcher sweeps; weak, so that a forgotten ensemble is not kept alive by it. */
    private static final Set<NodeThreads> WATCHED = Collections.newSetFromMap(new WeakHashMap<>());
    /** The watcher thread, or null while nothing needs watching. Guarded by {@code WATCHED}. */
    private static Thread watcher;

    private final int nodeId;
    private final List<ThreadFailure> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<Consumer<ThreadFailure>> listeners = new CopyOnWriteArrayList<>();

    /** A group named {@code name} (e.g. {@code zk-harness-1-node-3}) under {@code parent}, for server {@code nodeId}. */
    public NodeThreads(ThreadGroup parent, String name, int nodeId) {
        super(
                Objects.requireNonNull(parent, "parent must not be null"),
                Objects.requireNonNull(name, "name must not be null"));
        this.nodeId = nodeId;
    }

    /** The server id whose threads live here. */
    public int nodeId() {
        return nodeId;
    }

    /** Records the death, then passes it on as {@link ThreadGroup} does (to the parent, then the JVM's handler). */
    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        record(thread, error);
        super.uncaughtException(thread, error);
    }

    /** Every recorded death, oldest first: at most {@value #KEPT}; see {@link #dropped()}. */
    public List<ThreadFailure> failures() {
        return List.copyOf(failures);
    }

    /** Deaths beyond the first {@value #KEPT}, counted but not kept. */
    public int dropped() {
        return dropped.get();
    }

    /**
     * Calls {@code listener} with every death from now on, in the dying thread (so it must not block; it may
     * record, or wake a waiting test). A listener that throws is logged and otherwise ignored.
     *
     * @return closing it removes the listener
     */
    public AutoCloseable onFailure(Consumer<ThreadFailure> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Wraps the own handlers of the threads alive in this group now, and keeps doing so for threads started
     * later, until the group has no threads left. Call it after starting a peer.
     */
    public void watch() {
        adoptOwnHandlers();
        synchronized (WATCHED) {
            WATCHED.add(this);
            if (watcher == null) {
                watcher = new Thread(rootGroup(), NodeThreads::sweepLoop, "zk-harness-thread-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
        }
    }

    void record(Thread thread, Throwable error) {
        StackTraceElement[] stack = error.getStackTrace();
        List<StackTraceElement> top = Arrays.asList(stack).subList(0, Math.min(stack.length, ThreadFailure.FRAMES));
        ThreadFailure failure = new ThreadFailure(
                nodeId,
                thread.getName(),
                error,
                new ArrayList<>(top),
                Instant.now(),
                ThreadRoles.consequence(thread.getName()));
        synchronized (failures) {
            if (failures.size() < KEPT) {
                failures.add(failure);
            } else {
                dropped.incrementAndGet();
            }
        }
        for (Consumer<ThreadFailure> listener : listeners) {
            try {
                listener.accept(failure);
            } catch (RuntimeException e) {
                LOG.warn("thread failure listener of {} failed on {}", getName(), failure, e);
            }
        }
    }

    /** Wraps every own handler not wrapped yet; returns how many threads are alive in the group. */
    int adoptOwnHandlers() {
        Thread[] threads = new Thread[activeCount() + 16];
        int n = enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            UncaughtExceptionHandler handler = t.getUncaughtExceptionHandler();
            // a thread without a handler of its own reports to its group (this one, or one below it)
            if (handler != null && !(handler instanceof ThreadGroup) && !(handler instanceof Recording)) {
                t.setUncaughtExceptionHandler(new Recording(handler));
            }
        }
        return n;
    }

    private static void sweepLoop() {
        while (true) {
            List<NodeThreads> groups;
            synchronized (WATCHED) {
                groups = new ArrayList<>(WATCHED);
            }
            for (NodeThreads g : groups) {
                if (g.adoptOwnHandlers() == 0) {
                    synchronized (WATCHED) {
                        if (g.activeCount() == 0) {
                            WATCHED.remove(g); // watch() adds it again when its peer restarts
                        }
                    }
                }
            }
            synchronized (WATCHED) {
                if (WATCHED.isEmpty()) {
                    watcher = null;
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SWEEP_MS));
        }
    }

    /**
     * The JVM's root thread group: for the harness's own helper threads that belong to no ensemble and to no
     * caller, so that the thread count of a test's group stays put.
     */
    public static ThreadGroup rootGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    /** Records, then lets ZooKeeper's own handler do what it always does. */
    private final class Recording implements UncaughtExceptionHandler {
        private final UncaughtExceptionHandler original;

        Recording(UncaughtExceptionHandler original) {
            this.original = original;
        }

        @Override
        public void uncaughtException(Thread thread, Throwable error) {
            record(thread, error);
            original.uncaughtException(thread, error);
        }
    }
}
