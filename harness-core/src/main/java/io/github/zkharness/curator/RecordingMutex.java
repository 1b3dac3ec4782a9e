package io.github.zkharness.curator;

import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apiguardian.api.API;

/**
 * Curator's {@link InterProcessMutex}, used as Curator's documentation says and recorded in a {@link History} for
 * {@code MutualExclusion}: a holder treats {@link ConnectionState#SUSPENDED} and {@link ConnectionState#LOST} as the
 * loss of the lock ("the lock may no longer be held") and stops the work it protects.
 *
 * <pre>{@code
 * try (RecordingMutex mutex = new RecordingMutex(client, "/locks/orders", history, 1)) {
 *     if (mutex.acquire(Duration.ofSeconds(5))) {
 *         while (mutex.holds()) { ... one step of the protected work ... }
 *     }
 * }
 * }</pre>
 *
 * <p>It records {@link History#acquired} when {@code acquire} returns true, {@link History#lost} when the connection
 * state says the lock may be gone, and {@link History#released} on {@link #release()}. Even so, a holder learns of a
 * lost session late (after the server expired it), so two processes may briefly both believe they hold the lock:
 * {@code MutualExclusion} shows it, and only a fencing token checked by the protected resource makes that safe.
 *
 * <p>Curator is an optional dependency of harness-core: this class needs {@code curator-recipes} on the class path.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RecordingMutex implements AutoCloseable {

    private final CuratorFramework client;
    private final InterProcessMutex mutex;
    private final History history;
    private final int process;
    private final String lock;
    private final AtomicBoolean holding = new AtomicBoolean();
    private final ConnectionStateListener listener = (c, state) -> onStateChange(state);

    /**
     * A mutex on {@code path} for {@code process}, recorded in {@code history} under the lock name {@code path}.
     *
     * @throws NullPointerException if {@code client}, {@code path} or {@code history} is null
     */
    public RecordingMutex(CuratorFramework client, String path, History history, int process) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        this.lock = Objects.requireNonNull(path, "path must not be null");
        this.history = Objects.requireNonNull(history, "history must not be null");
        this.process = process;
        this.mutex = new InterProcessMutex(client, path);
        client.getConnectionStateListenable().addListener(listener);
    }

    /**
     * Tries to take the lock for at most {@code timeout}.
     *
     * @return true if this process holds it now, with its connection up
     * @throws NullPointerException if {@code timeout} is null
     * @throws Exception what Curator's {@code acquire} throws
     */
    public boolean acquire(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (!mutex.acquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        holding.set(true);
        history.acquired(process, lock);
        if (!client.getZookeeperClient().isConnected()) { // suspended while acquire returned: not ours to use
            onStateChange(ConnectionState.SUSPENDED);
        }
        return holds();
    }

    /** Whether the protected work may go on: acquired, and no SUSPENDED or LOST since. */
    public boolean holds() {
        return holding.get();
    }

    /**
     * Ends the holding (recorded if it was still held) and releases the lock node, best effort: the node may be gone
     * with the session already.
     */
    public void release() {
        if (holding.compareAndSet(true, false)) {
            history.released(process, lock);
        }
        if (mutex.isAcquiredInThisProcess()) {
            try {
                mutex.release();
            } catch (Exception e) {
                // the session (and so the lock node) may be gone already; nothing of ours is held
            }
        }
    }

    /** {@link #release()}, then stops listening to the client's connection state. */
    @Override
    public void close() {
        release();
        client.getConnectionStateListenable().removeListener(listener);
    }

    private void onStateChange(ConnectionState state) {
        if (!state.isConnected() && holding.compareAndSet(true, false)) {
            history.lost(process, lock);
        }
    }

    @Override
    public String toString() {
        return "RecordingMutex[" + lock + ", process " + process + (holds() ? ", held" : "") + "]";
    }
}
