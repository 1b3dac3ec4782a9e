package io.github.zkharness.examples;

import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * A small adapter between Curator's {@link InterProcessMutex} and a {@link History}, used as Curator's documentation
 * says: a holder must treat {@link ConnectionState#SUSPENDED} and {@link ConnectionState#LOST} as the loss of the lock
 * ("the lock may no longer be held") and stop the work it protects. It records {@link History#acquired} when
 * {@code acquire} returns true, {@link History#lost} when the connection state says the lock may be gone, and
 * {@link History#released} on release; {@link #holds()} is what the protected work checks.
 */
final class RecordingMutex implements ConnectionStateListener {

    private final CuratorFramework client;
    private final InterProcessMutex mutex;
    private final History history;
    private final int process;
    private final String lock;
    private final AtomicBoolean holding = new AtomicBoolean();

    RecordingMutex(CuratorFramework client, String path, History history, int process) {
        this.client = client;
        this.mutex = new InterProcessMutex(client, path);
        this.history = history;
        this.process = process;
        this.lock = path;
        client.getConnectionStateListenable().addListener(this);
    }

    /** Tries to take the lock; true if this process holds it now (and the connection is up). */
    boolean acquire(Duration timeout) throws Exception {
        if (!mutex.acquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        holding.set(true);
        history.acquired(process, lock);
        if (!client.getZookeeperClient().isConnected()) { // suspended while acquire returned: not ours to use
            stateChanged(client, ConnectionState.SUSPENDED);
        }
        return holds();
    }

    /** Whether the work may go on: held, and no SUSPENDED or LOST since it was acquired. */
    boolean holds() {
        return holding.get();
    }

    /** Ends the holding (if still held) and releases the lock node (best effort: it may be gone with the session). */
    void release() {
        if (holding.compareAndSet(true, false)) {
            history.released(process, lock);
        }
        try {
            mutex.release();
        } catch (Exception | Error e) {
            // the session (and so the lock node) may be gone already; nothing of ours is held
        }
    }

    @Override
    public void stateChanged(CuratorFramework c, ConnectionState state) {
        if (!state.isConnected() && holding.compareAndSet(true, false)) {
            history.lost(process, lock);
        }
    }
}
