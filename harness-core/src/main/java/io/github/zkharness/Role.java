package io.github.zkharness;

import org.apiguardian.api.API;

/** What a server is doing in the ensemble right now, as ZooKeeper itself reports it ({@code srvr}'s "Mode"). */
@API(status = API.Status.MAINTAINED, since = "0.1")
public enum Role {
    /** Elected leader: orders every write. */
    LEADER,
    /** A voter following the leader. */
    FOLLOWER,
    /** A non-voting member following the leader: serves reads, forwards writes, never counts toward a quorum. */
    OBSERVER,
    /** Running, but in leader election: it serves no clients. */
    LOOKING,
    /**
     * In leader election, cut off from a quorum, and serving reads as ZooKeeper's read-only server: only in read-only
     * mode ({@code ZkEnsemble.Builder.readOnlyMode(true)}), about 2 s (or a tick, if longer) after the node starts
     * looking. Clients that allow it ({@code canBeReadOnly}) read there; their writes fail with
     * {@code NotReadOnlyException}. Such a node does not count as serving ({@code ZkNode.isServing()} is false).
     */
    READ_ONLY,
    /** Not running (stopped, killed or never started). */
    STOPPED
}
