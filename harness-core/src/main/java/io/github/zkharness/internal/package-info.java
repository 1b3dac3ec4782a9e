/**
 * <b>Internal to zk-harness; do not use.</b> Everything that leans on ZooKeeper's internals or JVM-wide state:
 * running servers ({@link io.github.zkharness.internal.PeerProcess}, through the
 * {@link io.github.zkharness.internal.PeerBridge} to ZooKeeper's side in {@code internal.server} and
 * {@code org.apache.zookeeper.server.quorum.HarnessQuorumPeer}; {@link io.github.zkharness.internal.ServerCode} loads
 * a node's ZooKeeper, shared or in a class loader of its own), the one place that sets JVM-wide settings
 * ({@link io.github.zkharness.internal.JvmGlobals}), ports, the links that faults act on
 * ({@link io.github.zkharness.internal.PeerLinks}, {@link io.github.zkharness.internal.Network}), what the harness
 * does to a running server beside the client protocol (through the bridge) and the one polling loop behind every wait
 * ({@link io.github.zkharness.internal.Await}). The contract tests in the same package of the test sources fail
 * loudly the day ZooKeeper changes what these classes rely on.
 *
 * <p>Subpackages: {@code ensemble} (the parts behind {@code ZkEnsemble}), {@code net} (the TCP forwarders),
 * {@code server} (ZooKeeper's side of the bridge).
 * {@link io.github.zkharness.internal.Facades} builds the facades whose constructors are private. May be used by
 * harness-core's public packages and by harness-junit5 only (release-check's {@code ArchitectureRulesTests}); may
 * change in any release. Knows the public package's vocabulary (exceptions, enums, records, {@code Fault}), never
 * its handles.
 */
package io.github.zkharness.internal;
