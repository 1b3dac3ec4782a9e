/**
 * Recorded histories of what clients did and what happened around them, as Jepsen records them: each client
 * operation's invocation and completion (ok, fail, unknown) with its process, kind, key, value and monotonic times,
 * plus free-form events (faults, node roles, lock acquisitions) on the same clock.
 *
 * <p>{@link io.github.zkharness.history.History} is the recorder; {@link io.github.zkharness.history.Operation} and
 * {@link io.github.zkharness.history.Event} are the immutable entries a snapshot returns;
 * {@link io.github.zkharness.history.ZkRegisterClient} runs ZooKeeper calls on a key/value register and classifies
 * their outcomes from ZooKeeper's exceptions ({@link io.github.zkharness.history.ZkOutcomes}).
 *
 * <p>This package depends only on the JDK and ZooKeeper's client API, not on the ensemble, the checkers or JUnit.
 * Anything may depend on it: the checkers ({@code io.github.zkharness.check}), the timeline
 * ({@code io.github.zkharness.timeline}), the harness's own fault schedules and users' tests.
 */
@NullMarked
package io.github.zkharness.history;

import org.jspecify.annotations.NullMarked;
