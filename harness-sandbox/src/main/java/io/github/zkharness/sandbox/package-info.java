/**
 * The interactive sandbox behind {@code bin/zk-sandbox}: {@link io.github.zkharness.sandbox.ZkSandbox} starts an
 * ensemble and runs commands read from standard input; each command lives in a small class of its group
 * (node control, faults, membership), and the status table and its JSON form are printed by one formatter.
 *
 * <p>A program, not a library: it depends on harness-core's public API only (never on
 * {@code io.github.zkharness.internal}), and nothing depends on it. Its module brings logback and the logging
 * configuration {@code zk-sandbox-logback.xml}, which harness-core does not.
 */
package io.github.zkharness.sandbox;
