/**
 * JUnit Jupiter support for zk-harness: a real ZooKeeper ensemble per test class or per test, injected into test
 * parameters, clean for every test, and described in full when a test fails.
 *
 * <h2>Two doors</h2>
 * <ul>
 *   <li>{@link io.github.zkharness.junit5.ZkCluster @ZkCluster} on a class (one ensemble for the class and its
 *       {@code @Nested} classes, reset between tests), on a method (a fresh one for that test), inherited by
 *       subclasses, or inside a team's own meta-annotation.</li>
 *   <li>{@code @RegisterExtension ZkClusterExtension zk = ZkClusterExtension.builder()...build();}: a static field
 *       per class, an instance field per test, with everything {@link io.github.zkharness.ZkEnsemble.Builder} offers
 *       through {@code configure(...)}.</li>
 * </ul>
 * Both are translated to the builder by the same code. At most one declaration applies to a test; a second one
 * (on a method or {@code @Nested} class under a class that has one, or an annotation together with a field) fails
 * with an {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming both.
 *
 * <h2>A clean ensemble for every test</h2>
 * Before each test of a shared (class-level) ensemble, the extension closes the clients it injected for the
 * previous test and calls {@link io.github.zkharness.ZkEnsemble#reset()}: faults healed, stopped and killed nodes
 * restarted, every znode outside {@code /zookeeper} deleted. It skips the reset when nothing happened since the
 * ensemble started or was last reset (every node running and serving, no fault, no transaction since), which is
 * the case for the first test unless a {@code @BeforeAll} method wrote something. Each reset's duration is
 * published as the report entry {@code zk-harness.reset.ms}. Sessions of clients injected into {@code @BeforeAll}
 * methods survive resets; their znodes do not.
 *
 * <h2>Parallel execution</h2>
 * Each class (or test) has its own ensemble, ports, directories and threads, so classes may run concurrently
 * ({@code junit.jupiter.execution.parallel.mode.classes.default=concurrent}). The tests <em>within</em> a class that
 * shares a resetting ensemble must run one at a time
 * ({@code junit.jupiter.execution.parallel.mode.default=same_thread}, or {@code @Execution(SAME_THREAD)} on the
 * class): a test that would run concurrently with another on the same ensemble fails with an
 * {@code ExtensionConfigurationException} saying so, unless the class declares {@code resetBetweenTests = false}.
 *
 * <p>What is shared in the JVM, whatever runs in parallel:
 * <ul>
 *   <li>ZooKeeper's JVM-wide settings, which harness-core sets once, when the first ensemble starts (see
 *       {@code io.github.zkharness.internal.JvmGlobals} and docs/guide/what-the-harness-does-to-your-jvm.md): the exit procedure, the AdminServer
 *       switch, JMX, and the four-letter-word whitelist, which ZooKeeper keeps in a static. Classes whose ensembles
 *       run at the same time must therefore declare the same {@code fourLetterWords}, or the second start fails
 *       saying so.</li>
 *   <li>The names of ensembles ({@code zk-harness-N}), from one counter, and the thread groups named after them.</li>
 *   <li>With logback as the logging backend: one appender, attached once to the root logger (and to every logger
 *       that does not pass events up), which keeps the last 50 lines of each node of the ensembles this extension
 *       runs, recognized by the logging thread's group {@code zk-harness-N-node-M}; an ensemble's lines are dropped
 *       when it closes.</li>
 * </ul>
 * Nothing else: no system property is read or written by this module, and no static holds an ensemble.
 *
 * <h2>Optional dependencies</h2>
 * Curator ({@code curator-framework}) and logback ({@code logback-classic}) are optional: without Curator a test
 * simply cannot declare a {@code CuratorFramework} parameter; without logback the diagnostics say that no log lines
 * were kept. Only {@code CuratorClients} and {@code LogbackNodeLogs} name them, and each is loaded only when needed.
 *
 * <h2>Compatibility</h2>
 * JUnit Jupiter 5.10 and later, and JUnit 6; the build runs the engine-level tests on 5.10, on its own 5.x and on
 * 6.0.
 */
@NullMarked
package io.github.zkharness.junit5;

import org.jspecify.annotations.NullMarked;
