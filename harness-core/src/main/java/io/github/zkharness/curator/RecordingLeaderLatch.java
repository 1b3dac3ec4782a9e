package io.github.zkharness.curator;

import io.github.zkharness.check.Fencing;
import io.github.zkharness.history.History;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apiguardian.api.API;

/**
 * Curator's {@link LeaderLatch}, recorded in a {@link History} for {@code MutualExclusion}: leadership is a lock named
 * by the latch's path. It records {@link History#acquired} (with the fencing token {@link Fencing#token}: the
 * sequence number of this candidate's latch node) when the latch calls {@code isLeader()}, {@link History#lost} when
 * the connection goes {@link ConnectionState#SUSPENDED} or {@link ConnectionState#LOST} while leading (a service must
 * stop acting as leader then), and {@link History#released} when the latch calls {@code notLeader()} with the
 * connection up, or on {@link #close()}.
 *
 * <pre>{@code
 * try (RecordingLeaderLatch latch = new RecordingLeaderLatch(client, "/election", history, 1)) {
 *     latch.start();
 *     ... while (latch.holds()) { act as leader, presenting latch.token() } ...
 * }
 * }</pre>
 *
 * <p>Curator is an optional dependency of harness-core: this class needs {@code curator-recipes} on the class path.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RecordingLeaderLatch implements Closeable {

    private final Recorder recorder;
    private final LeaderLatch latch;

    /**
     * A latch on {@code path} for {@code process} (its participant id is the process number), recorded in
     * {@code history} under the lock name {@code path}. Call {@link #start()} to join the election.
     *
     * @throws NullPointerException if {@code client}, {@code path} or {@code history} is null
     */
    public RecordingLeaderLatch(CuratorFramework client, String path, History history, int process) {
        this.recorder = new Recorder(client, path, history, process);
        this.latch = new LeaderLatch(client, path, String.valueOf(process));
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                recorder.acquired(Recorder.sequenceOf(latch.getOurPath()));
            }

            @Override
            public void notLeader() {
                recorder.ended();
            }
        });
        recorder.listen();
    }

    /**
     * Joins the election (Curator's {@link LeaderLatch#start()}).
     *
     * @throws Exception what Curator's {@code start} throws
     */
    public void start() throws Exception {
        latch.start();
    }

    /** Whether this process may act as leader: the latch made it leader, and no SUSPENDED or LOST since. */
    public boolean holds() {
        return recorder.holds();
    }

    /**
     * The fencing token of the last leadership: the sequence number of the latch node that won it.
     *
     * @return the token, or empty before the first leadership
     */
    public OptionalLong token() {
        return recorder.token();
    }

    /**
     * The Curator latch itself (its participants, its {@code await}); closing or listening through it is this
     * recorder's job.
     *
     * @return the latch
     */
    public LeaderLatch latch() {
        return latch;
    }

    /**
     * Leaves the election (recorded as a release if still leading) and stops listening to the connection state.
     *
     * @throws UncheckedIOException if Curator's {@code close} fails
     */
    @Override
    public void close() {
        recorder.released();
        recorder.close();
        try {
            latch.close();
        } catch (IllegalStateException e) {
            // never started, or already closed: nothing to leave
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the leader latch on " + recorder.lock(), e);
        }
    }

    @Override
    public String toString() {
        return recorder.describe("RecordingLeaderLatch");
    }
}
