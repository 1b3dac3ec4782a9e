package io.github.zkharness.curator;

import io.github.zkharness.check.Fencing;
import io.github.zkharness.history.History;
import java.io.Closeable;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apiguardian.api.API;

/**
 * Curator's {@link InterProcessMutex}, used as Curator's documentation says and recorded in a {@link History} for
 * {@code MutualExclusion}: a holder treats {@link ConnectionState#SUSPENDED} and {@link ConnectionState#LOST} as the
 * loss of the lock ("the lock may no longer be held") and stops the work it protects.
 *
 * <pre>{@code
 * try (RecordingMutex mutex = new RecordingMutex(client, "/locks/orders", history, 1)) {
 *     if (mutex.acquire(Duration.ofSeconds(5))) {
 *         while (mutex.holds()) { ... one step of the protected work, presenting mutex.token() ... }
 *     }
 * }
 * }</pre>
 *
 * <p>It records {@link History#acquired} when {@code acquire} returns true, with the holding's fencing token
 * ({@link Fencing#token}: the sequence number of this process's lock node, which grows with every holder),
 * {@link History#lost} when the connection state says the lock may be gone, and {@link History#released} on
 * {@link #release()}. Even so, a holder learns of a lost session late (after the server expired it), so two
 * processes may briefly both believe they hold the lock: {@code MutualExclusion} shows it, and only a resource that
 * checks the fencing token makes that safe ({@link Fencing} checks it).
 *
 * <p>Curator is an optional dependency of harness-core: this class needs {@code curator-recipes} on the class path.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RecordingMutex implements Closeable {

    private final Recorder recorder;
    private final TokenMutex mutex;

    /** Curator's mutex, with its own lock node's path in reach (Curator keeps that getter protected). */
    private static final class TokenMutex extends InterProcessMutex {
        TokenMutex(CuratorFramework client, String path) {
            super(client, path);
        }

        String ourPath() {
            return getLockPath();
        }
    }

    /**
     * A mutex on {@code path} for {@code process}, recorded in {@code history} under the lock name {@code path}.
     *
     * @throws NullPointerException if {@code client}, {@code path} or {@code history} is null
     */
    public RecordingMutex(CuratorFramework client, String path, History history, int process) {
        this.recorder = new Recorder(client, path, history, process);
        this.mutex = new TokenMutex(client, path);
        recorder.listen();
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
        recorder.acquired(Recorder.sequenceOf(mutex.ourPath()));
        return holds();
    }

    /** Whether the protected work may go on: acquired, and no SUSPENDED or LOST since. */
    public boolean holds() {
        return recorder.holds();
    }

    /**
     * The fencing token of the last holding: the sequence number of the lock node it held, larger for every later
     * holder of the same lock. Present it to the protected resource with every write.
     *
     * @return the token, or empty before the first acquisition
     */
    public OptionalLong token() {
        return recorder.token();
    }

    /**
     * Ends the holding (recorded if it was still held) and releases the lock node, best effort: the node may be gone
     * with the session already.
     */
    public void release() {
        recorder.release(mutex);
    }

    /** {@link #release()}, then stops listening to the client's connection state. */
    @Override
    public void close() {
        release();
        recorder.close();
    }

    @Override
    public String toString() {
        return recorder.describe("RecordingMutex");
    }
}
