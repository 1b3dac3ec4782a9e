package io.github.zkharness.internal.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a set of {@link Link}s (loopback TCP proxies with injectable faults) and runs the single
 * selector thread that moves the bytes of all of them.
 *
 * <p>All channel work happens on that one thread; public methods of the hub and of its links may be
 * called from any thread and hand their work to it, waiting (at most {@value #CALL_TIMEOUT_SECONDS} s)
 * until it has been applied.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class LinkHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkHub.class);

    /** How long a caller waits for the selector thread to apply a request. */
    static final long CALL_TIMEOUT_SECONDS = 5;
    /** Size of the buffer of each direction of each connection. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** Most bytes a direction holds back while delaying them (latency mode). */
    static final long MAX_DELAYED_BYTES = 1024 * 1024;
    /** How long a forwarded connection may take to reach its target. */
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Prefix of the selector thread's name. */
    static final String THREAD_NAME_PREFIX = "zk-harness-links-";

    private static final InetAddress LOOPBACK_V4;

    static {
        try {
            LOOPBACK_V4 = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Link> links = new CopyOnWriteArrayList<>();

    // Touched by the selector thread only.
    private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>((a, b) -> Long.signum(a.due - b.due));
    private final SplittableRandom random = new SplittableRandom();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private boolean flushNeeded;
    private long nextConnectionId;

    private volatile boolean closed;
    private volatile Throwable death;

    /**
     * Creates a hub and starts its selector thread, a daemon named {@code "zk-harness-links-" + name}.
     *
     * @param name  names the thread and appears in messages
     * @param group the thread group of the selector thread; {@code null} means the caller's group
     * @throws IOException if no selector can be opened
     */
    public LinkHub(String name, ThreadGroup group) throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        this.selector = Selector.open();
        try {
            this.thread = new Thread(group, this::run, THREAD_NAME_PREFIX + name);
            thread.setDaemon(true);
            thread.start();
        } catch (RuntimeException | Error e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Opens a new link: a listener bound to an ephemeral port of 127.0.0.1 whose accepted connections
     * are forwarded to {@code target}.
     *
     * @param name   names the link in messages and logs
     * @param target where new connections are forwarded; must be a resolved address
     * @return the new link, already accepting
     * @throws IOException           if the listener cannot be bound
     * @throws IllegalStateException if the hub is closed
     */
    public Link open(String name, InetSocketAddress target) throws IOException {
        Objects.requireNonNull(name, "name");
        checkTarget(target);
        return call(() -> {
            Link link = new Link(this, name, target, new InetSocketAddress(LOOPBACK_V4, 0));
            links.add(link);
            return link;
        });
    }

    /**
     * Opens several links in one hand-off to the selector thread (a start opens a dozen at once, and each hand-off
     * costs a wakeup of that thread).
     *
     * @param targets link name to target, in the order to open them
     * @return the new links, in that order, each already accepting
     * @throws IOException           if a listener cannot be bound (the links opened before it stay open)
     * @throws IllegalStateException if the hub is closed
     */
    public List<Link> openAll(Map<String, InetSocketAddress> targets) throws IOException {
        Objects.requireNonNull(targets, "targets");
        targets.forEach((name, target) -> {
            Objects.requireNonNull(name, "name");
            checkTarget(target);
        });
        return call(() -> {
            List<Link> opened = new ArrayList<>();
            for (Map.Entry<String, InetSocketAddress> e : targets.entrySet()) {
                Link link = new Link(this, e.getKey(), e.getValue(), new InetSocketAddress(LOOPBACK_V4, 0));
                links.add(link);
                opened.add(link);
            }
            return opened;
        });
    }

    /**
     * The open links.
     *
     * @return a snapshot of this hub's links that are still open, in the order they were opened; empty
     *         once the hub is closed
     */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /**
     * The hub's name.
     *
     * @return the name given at construction
     */
    public String name() {
        return name;
    }

    /**
     * Resets every connection (RST), closes every listener, stops the selector thread and waits for it
     * (at most {@value #CALL_TIMEOUT_SECONDS} s). Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() == thread) {
            return; // the loop notices and cleans up when the current step returns
        }
        selector.wakeup();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_TIMEOUT_SECONDS);
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("link hub {}: selector thread did not stop within {} s", name, CALL_TIMEOUT_SECONDS);
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LinkHub[" + name + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Hand-over to the selector thread

    /** Work done on the selector thread. */
    @FunctionalInterface
    interface HubAction<T> {
        T run() throws IOException;
    }

    boolean isClosed() {
        return closed;
    }

    boolean onHubThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code action} on the selector thread and returns its result. */
    <T> T call(HubAction<T> action) throws IOException {
        ensureOpen();
        if (onHubThread()) {
            return action.run();
        }
        FutureTask<T> task = new FutureTask<>(() -> {
            T result = action.run();
            flushClosedChannels();
            return result;
        });
        tasks.add(task);
        if (closed && tasks.remove(task)) {
            // raced with close(): the selector thread may already have drained its queue
            throw closedException();
        }
        selector.wakeup();
        try {
            return task.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException("link hub " + name + ": " + cause, cause);
        } catch (CancellationException e) {
            throw closedException();
        } catch (TimeoutException e) {
            task.cancel(false);
            if (closed || !thread.isAlive()) {
                throw closedException();
            }
            throw new IllegalStateException(
                    "link hub " + name + " did not apply the request within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            task.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for link hub " + name, e);
        }
    }

    /** Like {@link #call} for actions that do no I/O that could fail. */
    <T> T callUnchecked(HubAction<T> action) {
        try {
            return call(action);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw closedException();
        }
        if (!thread.isAlive()) {
            throw new IllegalStateException("link hub " + name + ": its selector thread is dead");
        }
    }

    IllegalStateException closedException() {
        Throwable cause = death;
        if (cause != null) {
            return new IllegalStateException("link hub " + name + " is closed: its selector thread died", cause);
        }
        return new IllegalStateException("link hub " + name + " is closed");
    }

    // ------------------------------------------------------------------------------------------------
    // Selector thread

    Selector selector() {
        return selector;
    }

    ByteBuffer scratch() {
        return scratch;
    }

    SplittableRandom random() {
        return random;
    }

    long nextConnectionId() {
        return ++nextConnectionId;
    }

    void removeLink(Link link) {
        links.remove(link);
    }

    /**
     * Notes that a registered channel was closed: its file descriptor is released (and an RST sent,
     * with SO_LINGER 0) only when the selector next deregisters its key.
     */
    void channelClosed() {
        flushNeeded = true;
    }

    /** Lets the selector deregister cancelled keys now, so closed sockets really close before a caller returns. */
    private void flushClosedChannels() {
        while (flushNeeded) {
            flushNeeded = false;
            try {
                selector.selectNow(this::onKey);
            } catch (IOException e) {
                LOG.debug("link hub {}: selectNow failed", name, e); // the main loop's next select retries
                return;
            }
        }
    }

    /** Arranges for {@code timed} to be woken at {@code due} (a {@link System#nanoTime()} value), or earlier. */
    void schedule(Timed timed, long due) {
        if (timed.timerSet && timed.timerDue - due <= 0) {
            return; // already woken no later than that
        }
        timed.timerSet = true;
        timed.timerDue = due;
        timers.add(new TimerEntry(due, timed));
    }

    private void run() {
        try {
            while (!closed) {
                runTasks();
                if (closed) {
                    break;
                }
                select();
                fireTimers();
            }
        } catch (Throwable t) {
            death = t;
            LOG.error("link hub {}: selector thread died", name, t);
        } finally {
            closed = true;
            shutdown();
            FutureTask<?> task;
            while ((task = tasks.poll()) != null) {
                task.cancel(false);
            }
        }
    }

    private void runTasks() {
        FutureTask<?> task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void select() throws IOException {
        long timeoutMillis = -1;
        TimerEntry first = timers.peek();
        if (first != null) {
            long waitNanos = first.due - System.nanoTime();
            timeoutMillis = waitNanos <= 0 ? 0 : Math.max(1, (waitNanos + 999_999) / 1_000_000);
        }
        if (timeoutMillis == 0) {
            selector.selectNow(this::onKey);
        } else if (timeoutMillis < 0) {
            selector.select(this::onKey);
        } else {
            selector.select(this::onKey, timeoutMillis);
        }
    }

    private void onKey(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment instanceof Connection) {
            Connection connection = (Connection) attachment;
            try {
                if (key.isValid()) {
                    connection.onReady(key, System.nanoTime());
                }
            } catch (Exception e) {
                connection.reset(e);
            }
        } else if (attachment instanceof Link) {
            Link link = (Link) attachment;
            try {
                if (key.isValid()) {
                    link.onAcceptable();
                }
            } catch (Exception e) {
                LOG.debug("link {}: accept failed", link.name(), e);
            }
        }
    }

    private void fireTimers() {
        long now = System.nanoTime();
        TimerEntry entry;
        while ((entry = timers.peek()) != null && entry.due - now <= 0) {
            timers.poll();
            Timed timed = entry.timed;
            if (!timed.timerSet || timed.timerDue != entry.due) {
                continue; // superseded by an earlier wake-up
            }
            timed.timerSet = false;
            try {
                timed.onTimer(now);
            } catch (Exception e) {
                timed.onTimerFailure(e);
            }
        }
    }

    private void shutdown() {
        for (Link link : new ArrayList<>(links)) {
            try {
                link.shutdown();
            } catch (RuntimeException e) {
                LOG.debug("link hub {}: closing link {} failed", name, link.name(), e);
            }
        }
        links.clear();
        timers.clear();
        try {
            selector.close(); // deregisters every key, which really closes the channels
        } catch (IOException e) {
            LOG.debug("link hub {}: closing selector failed", name, e);
        }
    }

    static void checkTarget(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address but was " + target);
        }
    }

    /** Something the selector thread wakes at a due time; one pending wake-up each. */
    abstract static class Timed {
        boolean timerSet;
        long timerDue;

        abstract void onTimer(long now) throws IOException;

        abstract void onTimerFailure(Exception e);
    }

    private static final class TimerEntry {
        final long due;
        final Timed timed;

        TimerEntry(long due, Timed timed) {
            this.due = due;
            this.timed = timed;
        }
    }
}
