/**
 * What this project's own tests share, once: {@link io.github.zkharness.testkit.Clients} (connected ZooKeeper
 * clients, writes that report or retry), {@link io.github.zkharness.testkit.Bounded} (calls that fail instead of
 * hanging), {@link io.github.zkharness.testkit.TreeReader} (a server's whole tree), the {@code /proc} readers
 * {@link io.github.zkharness.testkit.ProcNet} and {@link io.github.zkharness.testkit.JvmResources},
 * {@link io.github.zkharness.testkit.Threads}, and {@link io.github.zkharness.testkit.EngineRuns} with
 * {@link io.github.zkharness.testkit.Fixture} for tests that run test classes through the JUnit engine.
 *
 * <p>Test code only: every module's tests may depend on it (test scope), no main code may. It depends on
 * ZooKeeper's public client API, JUnit, Awaitility and the JDK, never on zk-harness itself: harness-core's tests
 * use it, so a dependency on harness-core would be a cycle. A helper that needs a {@code ZkEnsemble} stays in the
 * module that has one, or takes plain values (connect strings, names).
 */
package io.github.zkharness.testkit;
