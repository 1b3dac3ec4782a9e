package io.github.zkharness.disk;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.network.Fault;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The disks of every node of an ensemble: get it from {@code ZkEnsemble.disks()}. See {@link ZkDisk} for what a
 * disk fault does.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class ZkDisks {

    /** For the harness's own implementation. */
    protected ZkDisks() {}

    /**
     * The disks of node {@code id}.
     *
     * @throws IllegalArgumentException if no node has that id, naming the ids there are
     */
    public abstract ZkDisk node(int id);

    /** Every live disk fault in force now, by node, oldest first. */
    public abstract List<Fault> faults();

    /** Heals every live disk fault of every node (damage at rest stays: {@code wipe()} removes it). */
    public abstract void healAll();

    /** What injected faults did, on every node, oldest first. */
    public abstract List<DiskFailure> failures();
}
