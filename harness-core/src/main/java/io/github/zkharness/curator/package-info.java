/**
 * Curator clients of an ensemble ({@link io.github.zkharness.curator.ZkCurator}) and Curator recipes recorded in a
 * history ({@link io.github.zkharness.curator.RecordingMutex}). The only package of harness-core that names Curator,
 * an optional dependency ({@code curator-framework}, and {@code curator-recipes} for the recorders): nothing else
 * loads it.
 *
 * <p>May depend on {@code io.github.zkharness} and Curator; nothing in the core depends on it.
 */
package io.github.zkharness.curator;
