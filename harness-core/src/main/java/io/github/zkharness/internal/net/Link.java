package io.github.zkharness.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP listener whose accepted connections are forwarded to a target address, with faults
 * that can be switched on and off while connections are open. Created by {@link LinkHub#open}.
 *
 * <p>Every fault method takes effect on the hub's selector thread and returns only once it has been
 * applied to the connections open at that moment; it also applies to every later connection until
 * changed. Methods may be called from any thread. Once the link or its hub is closed, the methods that
 * change something throw {@link IllegalStateException}; the getters keep answering.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Link {

    private static final Logger LOG = LoggerFactory.getLogger(Link.class);

    /** Latencies beyond this (about 73 years) could overflow {@link System#nanoTime()} arithmetic. */
    private static final long MAX_LATENCY_NANOS = Long.MAX_VALUE / 4;

    private final LinkHub hub;
    private final String name;
    private final ServerSocketChannel listener;
    private final SelectionKey listenerKey;
    private final InetSocketAddress listenAddress;
    private final AtomicLong forwardBytes = new AtomicLong();
    private final AtomicLong backwardBytes = new AtomicLong();
    /** Open connections; selector thread only. */
    private final Set<Connection> connections = new LinkedHashSet<>();

    private volatile InetSocketAddress target;
    private volatile int connectionCount;
    private volatile boolean closed;

    // Fault settings: written on the selector thread, read anywhere.
    private volatile boolean refusing;
    private volatile boolean stallForward;
    private volatile boolean stallBackward;
    private volatile long latencyBaseNanos;
    private volatile long latencyJitterNanos;
    private volatile long bandwidth;

    /** Binds and registers the listener; runs on the selector thread. */
    Link(LinkHub hub, String name, InetSocketAddress target, InetSocketAddress bindAddress) throws IOException {
        this.hub = hub;
        this.name = name;
        this.target = target;
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(bindAddress, 128);
            channel.configureBlocking(false);
            this.listenAddress = (InetSocketAddress) channel.getLocalAddress();
            this.listenerKey = channel.register(hub.selector(), SelectionKey.OP_ACCEPT, this);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.listener = channel;
    }

    /**
     * The link's name.
     *
     * @return the name given to {@link LinkHub#open}
     */
    public String name() {
        return name;
    }

    /**
     * The address dialers connect to.
     *
     * @return the 127.0.0.1 address this link listens on; it does not change during the link's life
     */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    /**
     * The current target.
     *
     * @return where new connections are forwarded
     */
    public InetSocketAddress target() {
        return target;
    }

    /**
     * Forwards connections accepted from now on to {@code newTarget}; connections already open keep
     * their old target.
     *
     * @param newTarget a resolved address
     * @throws IllegalArgumentException if {@code newTarget} is unresolved
     * @throws IllegalStateException    if the link or its hub is closed
     */
    public void target(InetSocketAddress newTarget) {
        LinkHub.checkTarget(newTarget);
        run(() -> target = newTarget);
    }

    /**
     * The number of open connections.
     *
     * @return how many forwarded connections are open now, including ones still connecting to the target
     */
    public int connectionCount() {
        return connectionCount;
    }

    /**
     * Bytes delivered in {@code direction} since the link was opened, over all its connections. Counted
     * just after each write to the destination socket, so a peer may see bytes a moment before this
     * count includes them.
     *
     * @param direction which stream to count
     * @return the byte count
     */
    public long bytesForwarded(Direction direction) {
        Objects.requireNonNull(direction, "direction");
        return direction == Direction.FORWARD ? forwardBytes.get() : backwardBytes.get();
    }

    /**
     * Resets (TCP RST, via SO_LINGER 0) both ends of every connection open now. The link keeps
     * accepting new connections.
     *
     * @throws IllegalStateException if the link or its hub is closed
     */
    public void reset() {
        run(() -> resetAll("reset()"));
    }

    /**
     * With {@code true}, resets every open connection, and resets every new connection as soon as it is
     * accepted (the dialer sees a reset or end-of-stream, never a hang). With {@code false}, new
     * connections are forwarded again.
     *
     * @param refusing whether to refuse
     * @throws IllegalStateException if the link or its hub is closed
     */
    public void refuse(boolean refusing) {
        run(() -> {
            this.refusing = refusing;
            if (refusing) {
                resetAll("refuse(true)");
            }
        });
    }

    /**
     * Stops or resumes moving bytes in one direction. While stalled, nothing is delivered and nothing is
     * read from the source, so TCP back-pressure builds up; no connection is reset. Once resumed, the
     * held bytes flow again in order. Applies to open and future connections. (Bytes the link had already
     * written into the destination socket before the stall still arrive.)
     *
     * @param direction which stream to stall or resume
     * @param stalled   {@code true} to stall, {@code false} to resume
     * @throws IllegalStateException if the link or its hub is closed
     */
    public void stall(Direction direction, boolean stalled) {
        Objects.requireNonNull(direction, "direction");
        run(() -> {
            if (direction == Direction.FORWARD) {
                stallForward = stalled;
            } else {
                stallBackward = stalled;
            }
            repumpAll(false);
        });
    }

    /**
     * Delays every chunk of bytes so it is delivered no earlier than the time it was read plus
     * {@code base} plus a random duration in {@code [0, jitter]}; order within a direction is kept.
     * {@code Duration.ZERO, Duration.ZERO} switches latency off and releases held bytes at once.
     *
     * @param base   the fixed part of the delay, {@code >= 0}
     * @param jitter the largest random addition, {@code >= 0}
     * @throws IllegalArgumentException if either duration is negative or absurdly large (over ~73 years)
     * @throws IllegalStateException    if the link or its hub is closed
     */
    public void latency(Duration base, Duration jitter) {
        long baseNanos = latencyNanos("base", base);
        long jitterNanos = latencyNanos("jitter", jitter);
        run(() -> {
            latencyBaseNanos = baseNanos;
            latencyJitterNanos = jitterNanos;
            repumpAll(baseNanos == 0 && jitterNanos == 0);
        });
    }

    /**
     * Limits each direction of each connection to {@code bytesPerSecond}; 0 means unlimited.
     *
     * @param bytesPerSecond the limit, or 0 for none
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     * @throws IllegalStateException    if the link or its hub is closed
     */
    public void bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "bandwidth must be >= 0 bytes/s (0 = unlimited) but was " + bytesPerSecond);
        }
        run(() -> {
            bandwidth = bytesPerSecond;
            repumpAll(false);
        });
    }

    /**
     * Removes every fault: no refusing, no stall, no latency (held bytes are released at once), no
     * bandwidth limit.
     *
     * @throws IllegalStateException if the link or its hub is closed
     */
    public void clearFaults() {
        run(() -> {
            refusing = false;
            stallForward = false;
            stallBackward = false;
            latencyBaseNanos = 0;
            latencyJitterNanos = 0;
            bandwidth = 0;
            repumpAll(true);
        });
    }

    /**
     * Whether a fault is set.
     *
     * @return {@code true} if refusing, a stall, latency or a bandwidth limit is set
     */
    public boolean isFaulty() {
        return refusing
                || stallForward
                || stallBackward
                || latencyBaseNanos != 0
                || latencyJitterNanos != 0
                || bandwidth != 0;
    }

    /**
     * Closes the listener and resets every connection of this link. Idempotent; does nothing once the
     * hub is closed.
     */
    public void close() {
        if (closed || hub.isClosed()) {
            return;
        }
        try {
            hub.callUnchecked(() -> {
                shutdown();
                return null;
            });
        } catch (IllegalStateException e) {
            if (!hub.isClosed()) {
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "Link[" + name + " " + listenAddress.getAddress().getHostAddress() + ":" + listenAddress.getPort()
                + " -> " + target + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Selector thread

    private void run(Runnable action) {
        hub.callUnchecked(() -> {
            if (closed) {
                throw new IllegalStateException("link " + name + " is closed");
            }
            action.run();
            return null;
        });
    }

    private static long latencyNanos(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException("latency " + what + " must be >= 0 but was " + value);
        }
        long nanos;
        try {
            nanos = value.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        if (nanos > MAX_LATENCY_NANOS) {
            throw new IllegalArgumentException("latency " + what + " is too large: " + value);
        }
        return nanos;
    }

    boolean refusing() {
        return refusing;
    }

    boolean stalled(Direction direction) {
        return direction == Direction.FORWARD ? stallForward : stallBackward;
    }

    boolean hasLatency() {
        return latencyBaseNanos != 0 || latencyJitterNanos != 0;
    }

    /** A fresh delay for one chunk: base plus random jitter. */
    long nextDelayNanos() {
        long delay = latencyBaseNanos;
        long jitter = latencyJitterNanos;
        if (jitter > 0) {
            delay += hub.random().nextLong(jitter + 1); // jitter <= MAX_LATENCY_NANOS: no overflow
        }
        return delay;
    }

    long bandwidthLimit() {
        return bandwidth;
    }

    void addForwarded(Direction direction, int bytes) {
        (direction == Direction.FORWARD ? forwardBytes : backwardBytes).addAndGet(bytes);
    }

    void add(Connection connection) {
        connections.add(connection);
        connectionCount = connections.size();
    }

    void remove(Connection connection) {
        if (connections.remove(connection)) {
            connectionCount = connections.size();
        }
    }

    void onAcceptable() throws IOException {
        for (int i = 0; i < 64 && !closed; i++) {
            SocketChannel accepted = listener.accept();
            if (accepted == null) {
                return;
            }
            Connection.accept(hub, this, accepted, target);
        }
    }

    private void resetAll(String why) {
        for (Connection connection : new ArrayList<>(connections)) {
            connection.reset(why);
        }
    }

    private void repumpAll(boolean releaseDelayed) {
        long now = System.nanoTime();
        for (Connection connection : new ArrayList<>(connections)) {
            connection.faultsChanged(now, releaseDelayed);
        }
    }

    /** Closes the listener and resets all connections; selector thread. Idempotent. */
    void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        hub.removeLink(this);
        listenerKey.cancel();
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("link {}: closing listener failed", name, e);
        }
        hub.channelClosed();
        resetAll("link closed");
    }
}
