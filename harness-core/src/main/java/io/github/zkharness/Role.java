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
    /** Not running (stopped, killed or never started). */
    STOPPED
}
