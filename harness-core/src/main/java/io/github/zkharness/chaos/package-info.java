/**
 * Seeded, replayable chaos schedules over the harness's public fault API: {@code ChaosSchedule.of(zk)} returns a
 * {@link io.github.zkharness.chaos.ChaosSchedule}, whose {@code start()} runs faults in the background as a
 * {@link io.github.zkharness.chaos.ChaosRun} until it is closed; closing heals every fault it made, restarts what it
 * took down and waits until every node serves. Each step it ran is a {@link io.github.zkharness.chaos.ChaosStep}.
 *
 * <p>Depends on the public API of {@code io.github.zkharness} and on {@code io.github.zkharness.history} (fault and
 * role events go into a user's history). The facade knows nothing of it (a schedule comes from
 * {@code ChaosSchedule.of(zk)}); no JUnit.
 */
@NullMarked
package io.github.zkharness.chaos;

import org.jspecify.annotations.NullMarked;
