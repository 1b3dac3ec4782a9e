/**
 * Faults on the wire: every connection between peers and from clients passes through a link the harness
 * controls; {@link io.github.zkharness.network.ZkNetwork} (from {@code ZkEnsemble.network()}) breaks them on
 * purpose and {@link io.github.zkharness.network.Fault} handles undo it.
 */
package io.github.zkharness.network;
