/**
 * Workloads: {@link io.github.zkharness.workload.ZkWorkload} runs clients of many kinds against an ensemble while
 * faults run, records them in a {@code History} and names the checkers their operations call for.
 *
 * <p>Depends on the public API, {@code io.github.zkharness.history} and {@code io.github.zkharness.check}; nothing
 * depends on it.
 */
@NullMarked
package io.github.zkharness.workload;

import org.jspecify.annotations.NullMarked;
