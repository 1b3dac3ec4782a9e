/**
 * Checkers that read a recorded {@link io.github.zkharness.history.History} and say whether the system behaved:
 * {@link io.github.zkharness.check.Linearizability} (with a pluggable {@link io.github.zkharness.check.Model}; the
 * key/value register with compare-and-set is {@link io.github.zkharness.check.RegisterModel}),
 * {@link io.github.zkharness.check.ZooKeeperConsistency} (exactly what ZooKeeper documents),
 * {@link io.github.zkharness.check.MutualExclusion} and {@link io.github.zkharness.check.Durability}; each returns a
 * {@link io.github.zkharness.check.CheckResult} (valid, invalid with a small counterexample, or unknown when its budget
 * ran out), and {@link io.github.zkharness.check.Checks#all} composes them.
 *
 * <p>Depends only on {@code io.github.zkharness.history} and the JDK: no ensemble, no JUnit. The timeline
 * ({@code io.github.zkharness.timeline}), the JUnit glue and users' tests may depend on it.
 */
@NullMarked
package io.github.zkharness.check;

import org.jspecify.annotations.NullMarked;
