/**
 * <b>Internal to zk-harness; do not use.</b> The ZooKeeper side of the bridge: the harness classes that use
 * ZooKeeper's server types ({@link io.github.zkharness.internal.server.ServerPeer}, the storage layer
 * {@link io.github.zkharness.internal.server.NodeStorage},
 * {@link io.github.zkharness.internal.server.ServerHousekeeping},
 * {@link io.github.zkharness.internal.server.ServerStatics}), together with
 * {@code org.apache.zookeeper.server.quorum.HarnessQuorumPeer}. On the isolated runtime these classes load in the
 * node's own class loader, beside that node's ZooKeeper; they talk to the harness only through
 * {@link io.github.zkharness.internal.PeerBridge}, {@link io.github.zkharness.internal.ServerSide} and
 * {@link io.github.zkharness.internal.PeerWiring}, and use of the rest of the harness only classes that name no
 * ZooKeeper type ({@code DiskState}, {@code UnsyncedTail}, {@code ServerSettings}, the public vocabulary). Nothing
 * outside this package and ZooKeeper's own packages may use ZooKeeper's server types.
 */
package io.github.zkharness.internal.server;
