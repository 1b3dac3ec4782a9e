package io.github.zkharness.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection: the channel accepted from the dialer ("client") and the channel to the
 * target ("server"), with a {@link Pipe} for each direction. Used by the selector thread only.
 */
final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    final LinkHub hub;
    final Link link;
    final long id;
    final SocketChannel client;
    SocketChannel server;
    private InetSocketAddress target;
    private SelectionKey clientKey;
    private SelectionKey serverKey;
    final Pipe forward;
    final Pipe backward;
    private boolean connected;
    private boolean closed;
    private final ConnectTimer connectTimer = new ConnectTimer();

    private Connection(LinkHub hub, Link link, SocketChannel client) {
        this.hub = hub;
        this.link = link;
        this.id = hub.nextConnectionId();
        this.client = client;
        this.forward = new Pipe(this, Direction.FORWARD);
        this.backward = new Pipe(this, Direction.BACKWARD);
    }

    /** Takes over a freshly accepted channel: resets it when refusing, else starts connecting to {@code target}. */
    static void accept(LinkHub hub, Link link, SocketChannel accepted, InetSocketAddress target) {
        if (link.refusing()) {
            LOG.debug("link {}: refusing a connection", link.name());
            resetChannel(accepted);
            return;
        }
        Connection connection = new Connection(hub, link, accepted);
        link.add(connection);
        try {
            connection.start(target);
        } catch (IOException | RuntimeException e) {
            connection.reset(e);
        }
    }

    private void start(InetSocketAddress target) throws IOException {
        this.target = target;
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        clientKey = client.register(hub.selector(), 0, this);
        server = SocketChannel.open();
        server.configureBlocking(false);
        server.setOption(StandardSocketOptions.TCP_NODELAY, true);
        serverKey = server.register(hub.selector(), 0, this);
        if (server.connect(target)) {
            onConnected(System.nanoTime());
        } else {
            serverKey.interestOps(SelectionKey.OP_CONNECT);
            hub.schedule(connectTimer, System.nanoTime() + LinkHub.CONNECT_TIMEOUT_NANOS);
        }
    }

    private void onConnected(long now) throws IOException {
        connected = true;
        connectTimer.timerSet = false;
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "link {}: connection {} forwarded {} -> {}",
                    link.name(),
                    id,
                    client.getRemoteAddress(),
                    server.getRemoteAddress());
        }
        forward.pump(false, now);
        backward.pump(false, now);
        updateInterest();
    }

    boolean connected() {
        return connected;
    }

    boolean closed() {
        return closed;
    }

    /** Handles readiness of one of this connection's keys. */
    void onReady(SelectionKey key, long now) throws IOException {
        if (closed) {
            return;
        }
        int ready = key.readyOps();
        if (key == serverKey && !connected) {
            if ((ready & SelectionKey.OP_CONNECT) != 0 && server.finishConnect()) {
                onConnected(now);
            }
            return;
        }
        Pipe reading = key == clientKey ? forward : backward;
        Pipe writing = key == clientKey ? backward : forward;
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            writing.pump(false, now);
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            reading.pump(true, now);
        }
        updateInterest();
    }

    /** Re-evaluates both directions after the link's fault settings changed. */
    void faultsChanged(long now, boolean releaseDelayed) {
        if (closed) {
            return;
        }
        try {
            if (releaseDelayed) {
                forward.releaseDelayed(now);
                backward.releaseDelayed(now);
            }
            forward.faultsChanged();
            backward.faultsChanged();
            if (connected) {
                forward.pump(false, now);
                backward.pump(false, now);
            }
            updateInterest();
        } catch (IOException | RuntimeException e) {
            reset(e);
        }
    }

    /** Sets the interest ops of both keys from what the pipes want now. */
    void updateInterest() {
        if (closed) {
            return;
        }
        int clientOps = 0;
        int serverOps = SelectionKey.OP_CONNECT;
        if (connected) {
            clientOps = (forward.wantsRead() ? SelectionKey.OP_READ : 0)
                    | (backward.wantsWrite() ? SelectionKey.OP_WRITE : 0);
            serverOps = (backward.wantsRead() ? SelectionKey.OP_READ : 0)
                    | (forward.wantsWrite() ? SelectionKey.OP_WRITE : 0);
        }
        if (clientKey.interestOps() != clientOps) {
            clientKey.interestOps(clientOps);
        }
        if (serverKey.interestOps() != serverOps) {
            serverKey.interestOps(serverOps);
        }
    }

    /** Called when a pipe has shut down its destination's output: closes quietly once both have. */
    void outputShut() throws IOException {
        if (forward.isOutputShut() && backward.isOutputShut() && !closed) {
            closed = true;
            link.remove(this);
            LOG.debug("link {}: connection {} finished", link.name(), id);
            client.close();
            server.close();
            hub.channelClosed();
        }
    }

    /** Resets both sides (SO_LINGER 0, then close). Idempotent. */
    void reset(Object why) {
        if (closed) {
            return;
        }
        closed = true;
        link.remove(this);
        if (why instanceof Throwable) {
            LOG.debug("link {}: connection {} reset after error", link.name(), id, (Throwable) why);
        } else {
            LOG.debug("link {}: connection {} reset: {}", link.name(), id, why);
        }
        resetChannel(client);
        resetChannel(server);
        hub.channelClosed();
    }

    /** Closes {@code channel} with SO_LINGER 0 so that the peer gets an RST. */
    static void resetChannel(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            if (channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException ignored) {
            // not connected or already closed: a plain close is all that is left
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public String toString() {
        return "Connection[" + link.name() + "#" + id + "]";
    }

    private final class ConnectTimer extends LinkHub.Timed {
        @Override
        void onTimer(long now) {
            if (!connected && !closed) {
                reset("no connection to " + target + " within " + (LinkHub.CONNECT_TIMEOUT_NANOS / 1_000_000_000L)
                        + " s");
            }
        }

        @Override
        void onTimerFailure(Exception e) {
            reset(e);
        }
    }
}
