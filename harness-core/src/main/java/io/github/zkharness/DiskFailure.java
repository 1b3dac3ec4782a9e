package io.github.zkharness;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Something an injected disk fault did to a node: a write it failed, or ZooKeeper's request to exit the JVM that
 * followed. See {@link ZkDisk#failures()}.
 *
 * @param nodeId      the server id
 * @param what        what failed, e.g. {@code transaction log append}, {@code snapshot write}, or
 *                    {@code exit(10) requested} when ZooKeeper asked the JVM to exit after such a failure
 * @param threadName  the ZooKeeper thread it happened on, e.g. {@code SyncThread:2}
 * @param time        when
 * @param fault       the description of the fault that caused it
 * @param consequence what it means for the node, as far as the harness knows ZooKeeper (may be empty)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DiskFailure(int nodeId, String what, String threadName, Instant time, String fault, String consequence) {

    /** Checks the components. */
    public DiskFailure {
        Objects.requireNonNull(what, "what must not be null");
        Objects.requireNonNull(threadName, "threadName must not be null");
        Objects.requireNonNull(time, "time must not be null");
        Objects.requireNonNull(fault, "fault must not be null");
        Objects.requireNonNull(consequence, "consequence must not be null");
    }

    /**
     * One line: {@code transaction log append failed on SyncThread:2 (full log disk of node 2: No space left on
     * device); ZooKeeper stopped the server ...}.
     */
    public String describe() {
        return what + " on " + threadName + " (" + fault + ")" + (consequence.isEmpty() ? "" : "; " + consequence);
    }

    /** {@code node 2: } followed by {@link #describe()}. */
    @Override
    public String toString() {
        return "node " + nodeId + ": " + describe();
    }
}
