/**
 * The machinery behind {@code ZkEnsemble}, one job per class. <b>Internal to zk-harness; do not use.</b>
 *
 * <ul>
 *   <li>{@link io.github.zkharness.internal.ensemble.Cluster}: the state every part shares (members, phase,
 *       links, problems) and the waits with every node's state in their message; also the ensemble's lock;</li>
 *   <li>{@link io.github.zkharness.internal.ensemble.NodeRuntime}: one member's ports, directories, peer and
 *       state (the public {@code ZkNode} is a handle on it);</li>
 *   <li>{@link io.github.zkharness.internal.ensemble.Lifecycle}: first start with port retries, stop, close;</li>
 *   <li>{@link io.github.zkharness.internal.ensemble.NodeControl}: binding, starting, stopping, killing,
 *       restarting and wiping one peer; {@code PeerDialer} answers the peers' dials;</li>
 *   <li>{@link io.github.zkharness.internal.ensemble.Membership}: reconfiguration at runtime;</li>
 *   <li>{@link io.github.zkharness.internal.ensemble.Reset}: the reset between tests;</li>
 *   <li>{@code Directories}, {@code HarnessClients}: the ensemble's directories and its own clients.</li>
 * </ul>
 *
 * <p>May depend on {@code io.github.zkharness} (public types), {@code io.github.zkharness.internal} and
 * ZooKeeper. Only {@code io.github.zkharness} may depend on it.
 */
package io.github.zkharness.internal.ensemble;
