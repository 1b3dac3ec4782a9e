/**
 * Curator clients of an ensemble ({@link io.github.zkharness.curator.ZkCurator}). The only package of
 * harness-core that names Curator, an optional dependency: nothing else loads it.
 *
 * <p>May depend on {@code io.github.zkharness} and Curator; nothing in the core depends on it.
 */
package io.github.zkharness.curator;
