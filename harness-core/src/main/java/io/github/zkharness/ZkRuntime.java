package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * Where a node's ZooKeeper server classes load: chosen with {@link ZkEnsemble.Builder#runtime(ZkRuntime)}. Both
 * runtimes run real {@code QuorumPeer}s in the test's JVM, and every fault works on both.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ZkRuntime {
    /**
     * Every node of every ensemble runs the ZooKeeper on the class path, loaded once (the default, and the fastest).
     * ZooKeeper's statics are shared: {@code mntr}'s counters and latencies ({@code zk_packets_received},
     * {@code zk_proposal_count}, ...) are sums over every server of the JVM; the state lines
     * ({@code zk_server_state}, {@code zk_znode_count}, {@code zk_synced_followers}, ...) are each node's own.
     */
    SHARED,
    /**
     * Each run of each node loads its ZooKeeper in a class loader of its own: {@code mntr}'s counters are each node's
     * own, and nodes may run different ZooKeeper versions ({@link ZkVersion}). A start costs more (each run loads
     * ZooKeeper's classes afresh; {@code bin/zk-bench} prints by how much) and each running node takes a few MB of
     * metaspace, released when the run ends. JVM-wide settings stay JVM-wide (system properties, the logging backend).
     */
    ISOLATED
}
