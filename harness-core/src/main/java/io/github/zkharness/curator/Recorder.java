package io.github.zkharness.curator;

import io.github.zkharness.check.Fencing;
import io.github.zkharness.history.History;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * What every recording recipe shares: one process's belief that it holds one lock, recorded as acquired, lost (the
 * connection is not up: SUSPENDED or LOST) or released, with the fencing token of each holding.
 */
final class Recorder implements ConnectionStateListener {

    private final CuratorFramework client;
    private final History history;
    private final int process;
    private final String lock;
    private final AtomicBoolean holding = new AtomicBoolean();
    private volatile OptionalLong token = OptionalLong.empty();

    Recorder(CuratorFramework client, String lock, History history, int process) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        this.lock = Objects.requireNonNull(lock, "path must not be null");
        this.history = Objects.requireNonNull(history, "history must not be null");
        this.process = process;
    }

    /** Starts listening to the client's connection state (not for a LeaderSelector, which passes it its own). */
    Recorder listen() {
        client.getConnectionStateListenable().addListener(this);
        return this;
    }

    /** Records the acquisition and its token; then, if the connection is already down, the loss. */
    void acquired(OptionalLong newToken) {
        if (!holding.compareAndSet(false, true)) {
            return;
        }
        token = newToken;
        history.acquired(process, lock);
        newToken.ifPresent(t -> Fencing.token(history, process, lock, t));
        if (!client.getZookeeperClient().isConnected()) {
            stateChanged(client, ConnectionState.SUSPENDED);
        }
    }

    /** Records the end of the holding: lost if the connection is down, else released; nothing if not holding. */
    void ended() {
        if (holding.compareAndSet(true, false)) {
            if (client.getZookeeperClient().isConnected()) {
                history.released(process, lock);
            } else {
                history.lost(process, lock);
            }
        }
    }

    /** Records a release if holding. */
    void released() {
        if (holding.compareAndSet(true, false)) {
            history.released(process, lock);
        }
    }

    /**
     * Records a release if holding, then releases {@code lock} if this process holds it, best effort: its node may be
     * gone with the session already, and then nothing of ours is held.
     */
    void release(InterProcessLock lock) {
        released();
        if (lock.isAcquiredInThisProcess()) {
            try {
                lock.release();
            } catch (Exception e) {
                // the session (and so the lock's node) may be gone already; nothing of ours is held
            }
        }
    }

    boolean holds() {
        return holding.get();
    }

    OptionalLong token() {
        return token;
    }

    String lock() {
        return lock;
    }

    int process() {
        return process;
    }

    CuratorFramework client() {
        return client;
    }

    void close() {
        client.getConnectionStateListenable().removeListener(this);
    }

    @Override
    public void stateChanged(CuratorFramework c, ConnectionState state) {
        if (!state.isConnected() && holding.compareAndSet(true, false)) {
            history.lost(process, lock);
        }
    }

    /** The sequence number at the end of a sequential znode's path, or empty if it has none. */
    static OptionalLong sequenceOf(String path) {
        if (path == null || path.length() < 10) {
            return OptionalLong.empty();
        }
        String tail = path.substring(path.length() - 10);
        for (int i = 0; i < tail.length(); i++) {
            if (!Character.isDigit(tail.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(tail));
    }

    String describe(String type) {
        return type + "[" + lock + ", process " + process + (holds() ? ", held" : "")
                + (token.isPresent() ? ", token " + token.getAsLong() : "") + "]";
    }
}
