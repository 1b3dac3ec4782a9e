/**
 * The public API of zk-harness: {@link io.github.zkharness.ZkEnsemble} (built by
 * {@link io.github.zkharness.ZkEnsemble#builder()}), its nodes ({@link io.github.zkharness.ZkNode}), their
 * {@link io.github.zkharness.Role} and {@link io.github.zkharness.NodeState}, and the exceptions the harness
 * throws ({@link io.github.zkharness.ZkHarnessException} and its subtypes).
 *
 * <p>Faults on the network live in {@code io.github.zkharness.network}, recorded histories in
 * {@code io.github.zkharness.history}, checkers in {@code io.github.zkharness.check}. This package depends on
 * {@code io.github.zkharness.internal...} for its machinery; nothing here depends on JUnit.
 */
package io.github.zkharness;
