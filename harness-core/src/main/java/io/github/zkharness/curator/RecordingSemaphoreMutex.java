package io.github.zkharness.curator;

import io.github.zkharness.history.History;
import java.io.Closeable;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apiguardian.api.API;

/**
 * Curator's {@link InterProcessSemaphoreMutex} (a mutex that is not re-entrant), recorded in a {@link History} for
 * {@code MutualExclusion} as {@link RecordingMutex} records its mutex: {@link History#acquired} when {@code acquire}
 * returns true, {@link History#lost} on {@link ConnectionState#SUSPENDED} or {@link ConnectionState#LOST} while
 * held, {@link History#released} on {@link #release()}.
 *
 * <p>It records no fencing token: Curator does not show which lease node is this process's. Where the protected
 * resource needs one, use {@link RecordingMutex}.
 *
 * <p>Curator is an optional dependency of harness-core: this class needs {@code curator-recipes} on the class path.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RecordingSemaphoreMutex implements Closeable {

    private final Recorder recorder;
    private final InterProcessSemaphoreMutex mutex;

    /**
     * A mutex on {@code path} for {@code process}, recorded in {@code history} under the lock name {@code path}.
     *
     * @throws NullPointerException if {@code client}, {@code path} or {@code history} is null
     */
    public RecordingSemaphoreMutex(CuratorFramework client, String path, History history, int process) {
        this.recorder = new Recorder(client, path, history, process);
        this.mutex = new InterProcessSemaphoreMutex(client, path);
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
        recorder.acquired(OptionalLong.empty());
        return holds();
    }

    /** Whether the protected work may go on: acquired, and no SUSPENDED or LOST since. */
    public boolean holds() {
        return recorder.holds();
    }

    /** Ends the holding (recorded if it was still held) and releases the lease, best effort. */
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
        return recorder.describe("RecordingSemaphoreMutex");
    }
}
