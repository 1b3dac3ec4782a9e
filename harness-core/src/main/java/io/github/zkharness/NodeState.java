package io.github.zkharness;

import org.apiguardian.api.API;

/** Whether a server's process is up, and how it went down. */
@API(status = API.Status.MAINTAINED, since = "0.1")
public enum NodeState {
    /** Its peer runs (it may still be electing: see {@link Role}). */
    RUNNING,
    /** Shut down gracefully with {@link ZkNode#stop()} or {@link ZkEnsemble#stop()}. */
    STOPPED,
    /**
     * Crashed on purpose with {@link ZkNode#kill()} or {@link ZkNode#powerLoss()}: its connections were reset,
     * nothing was flushed to peers or to its files.
     * Also a node whose ZooKeeper asked the JVM to exit after an injected disk fault failed a write (see
     * {@link io.github.zkharness.ZkDisk#failures()}): the harness crashes it as that exit would have.
     */
    KILLED,
    /** Taken out of the ensemble with {@link ZkEnsemble#remove(ZkNode)}: no longer a member, its directories gone. */
    REMOVED
}
