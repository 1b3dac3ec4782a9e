/**
 * The public API of zk-harness: {@link io.github.zkharness.ZkEnsemble} (built by
 * {@link io.github.zkharness.ZkEnsemble#builder()}), its nodes ({@link io.github.zkharness.ZkNode}), their
 * {@link io.github.zkharness.Role} and {@link io.github.zkharness.NodeState}, faults on the wire
 * ({@link io.github.zkharness.ZkNetwork}, from {@code zk.network()}) and on each node's disks
 * ({@link io.github.zkharness.ZkDisk}, from {@code node.disk()}), each returning a {@link io.github.zkharness.Fault}
 * handle, and the exceptions the harness throws ({@link io.github.zkharness.ZkHarnessException} and its subtypes).
 *
 * <p>Callers' mistakes fail one way: a null argument with a {@link NullPointerException} naming the parameter, a bad
 * value with an {@link IllegalArgumentException} naming the value and what is allowed, a call in the wrong state
 * with an {@link IllegalStateException} naming the state.
 *
 * <p>Seeded chaos schedules live in {@code io.github.zkharness.chaos}, recorded histories in
 * {@code io.github.zkharness.history}, checkers in {@code io.github.zkharness.check}. This package depends on
 * {@code io.github.zkharness.internal...} for its machinery; nothing here depends on JUnit.
 */
@NullMarked
package io.github.zkharness;

import org.jspecify.annotations.NullMarked;
