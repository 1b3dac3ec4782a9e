package io.github.zkharness.curator;

import io.github.zkharness.history.History;
import java.io.Closeable;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apiguardian.api.API;

/**
 * Curator's {@link LeaderSelector}, recorded in a {@link History} for {@code MutualExclusion}: leadership is a lock
 * named by the selector's path. Your {@link LeaderSelectorListener} runs as Curator runs it; this class records
 * {@link History#acquired} before its {@code takeLeadership} starts, {@link History#released} when it returns (or
 * throws), and {@link History#lost} when the connection goes {@link ConnectionState#SUSPENDED} or
 * {@link ConnectionState#LOST} while it leads, before your {@code stateChanged} (which should cancel the leadership,
 * as Curator's {@code LeaderSelectorListenerAdapter} does).
 *
 * <pre>{@code
 * try (RecordingLeaderSelector selector = new RecordingLeaderSelector(client, "/election", history, 1,
 *         new LeaderSelectorListenerAdapter() {
 *             public void takeLeadership(CuratorFramework c) throws Exception { ... lead until done ... }
 *         })) {
 *     selector.start();
 * }
 * }</pre>
 *
 * <p>It records no fencing token: Curator does not show the selector's lock node. Curator is an optional dependency
 * of harness-core: this class needs {@code curator-recipes} on the class path.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RecordingLeaderSelector implements Closeable {

    private final Recorder recorder;
    private final LeaderSelector selector;

    /**
     * A selector on {@code path} for {@code process} (its participant id is the process number), recorded in
     * {@code history} under the lock name {@code path}. Call {@link #start()} to join the election.
     *
     * @throws NullPointerException if {@code client}, {@code path}, {@code history} or {@code listener} is null
     */
    public RecordingLeaderSelector(
            CuratorFramework client, String path, History history, int process, LeaderSelectorListener listener) {
        this.recorder = new Recorder(client, path, history, process);
        Objects.requireNonNull(listener, "listener must not be null");
        this.selector = new LeaderSelector(client, path, new LeaderSelectorListener() {
            @Override
            public void takeLeadership(CuratorFramework c) throws Exception {
                recorder.acquired(OptionalLong.empty());
                try {
                    listener.takeLeadership(c);
                } finally {
                    recorder.ended();
                }
            }

            @Override
            public void stateChanged(CuratorFramework c, ConnectionState state) {
                recorder.stateChanged(c, state);
                listener.stateChanged(c, state);
            }
        });
        selector.setId(String.valueOf(process));
    }

    /** Joins the election (Curator's {@link LeaderSelector#start()}). */
    public void start() {
        selector.start();
    }

    /** Whether this process leads: its {@code takeLeadership} runs, and no SUSPENDED or LOST since. */
    public boolean holds() {
        return recorder.holds();
    }

    /**
     * The Curator selector itself ({@code autoRequeue}, {@code requeue}, its participants); closing it is this
     * recorder's job.
     *
     * @return the selector
     */
    public LeaderSelector selector() {
        return selector;
    }

    /** Leaves the election: Curator interrupts a running {@code takeLeadership}, whose end is recorded. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IllegalStateException e) {
            // never started, or already closed
        }
        recorder.released();
    }

    @Override
    public String toString() {
        return recorder.describe("RecordingLeaderSelector");
    }
}
