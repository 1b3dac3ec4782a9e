package io.github.zkharness.internal.ensemble;

import org.apiguardian.api.API;

/**
 * The parts of one ensemble, wired together: the shared {@link Cluster} state, its {@link Lifecycle},
 * {@link NodeControl}, {@link Leadership}, {@link Membership} and {@link Reset}. {@code ZkEnsemble} is a facade over these.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class EnsembleParts {

    private final Cluster cluster;
    private final NodeControl control;
    private final Lifecycle lifecycle;
    private final Membership membership;
    private final Reset reset;
    private final Leadership leadership;

    private EnsembleParts(String name, EnsembleConfig config) {
        this.cluster = new Cluster(name, config);
        Directories directories = new Directories(cluster);
        HarnessClients clients = new HarnessClients(cluster);
        this.control = new NodeControl(cluster);
        this.leadership = new Leadership(cluster, control);
        this.lifecycle = new Lifecycle(cluster, control, directories, leadership);
        this.membership = new Membership(cluster, control, directories, clients);
        this.reset = new Reset(cluster, lifecycle, control, membership, clients, leadership);
    }

    /**
     * Declares the builder's members and wires the parts; no peer starts. The first call in a JVM also starts the
     * {@link ClassWarmer}, so that a first start finds much of ZooKeeper loaded.
     */
    public static EnsembleParts assemble(String name, EnsembleConfig config) {
        ClassWarmer.startOnce();
        return new EnsembleParts(name, config);
    }

    /** The shared state. */
    public Cluster cluster() {
        return cluster;
    }

    /** Stop, kill, restart and wipe of one member. */
    public NodeControl control() {
        return control;
    }

    /** Start, stop and close of the whole ensemble. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Membership changes through reconfiguration. */
    public Membership membership() {
        return membership;
    }

    /** Which voter leads: the builder's placement, moves at runtime. */
    public Leadership leadership() {
        return leadership;
    }

    /** The reset between tests. */
    public Reset reset() {
        return reset;
    }
}
