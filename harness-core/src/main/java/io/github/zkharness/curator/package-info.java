/**
 * Curator clients of an ensemble ({@link io.github.zkharness.curator.ZkCurator}) and Curator recipes recorded in a
 * history for {@code MutualExclusion} and {@code Fencing} ({@link io.github.zkharness.curator.RecordingMutex},
 * {@link io.github.zkharness.curator.RecordingSemaphoreMutex}, {@link io.github.zkharness.curator.RecordingLeaderLatch},
 * {@link io.github.zkharness.curator.RecordingLeaderSelector}). The only package of harness-core that names Curator,
 * an optional dependency ({@code curator-framework}, and {@code curator-recipes} for the recorders): nothing else
 * loads it.
 *
 * <p>May depend on {@code io.github.zkharness}, {@code history}, {@code check} (the event kinds of {@code Fencing}) and
 * Curator; nothing in the core depends on it.
 */
@NullMarked
package io.github.zkharness.curator;

import org.jspecify.annotations.NullMarked;
