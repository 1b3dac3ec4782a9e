/**
 * Faults on the disks of each node: a slow transaction log or snapshot disk, a full one, and files damaged at
 * rest before a restart. {@link io.github.zkharness.disk.ZkDisks} comes from {@code ZkEnsemble.disks()},
 * {@link io.github.zkharness.disk.ZkDisk} from {@code ZkNode.disk()}; live faults are
 * {@link io.github.zkharness.network.Fault} handles like the network's. Every peer writes through a storage
 * layer the harness gives it, so nothing here touches the real device or JVM-wide state. Depends on the root
 * package and {@code network} only.
 */
package io.github.zkharness.disk;
