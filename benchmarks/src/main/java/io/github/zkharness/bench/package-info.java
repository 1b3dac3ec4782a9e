/**
 * The benchmarks behind {@code bin/zk-bench}: zk-harness side by side with Curator's {@code TestingCluster} in
 * one run ({@code ZkBench}, {@code HarnessScenarios}, {@code CuratorScenarios} in a JVM of its own), the checkers'
 * numbers ({@code CheckBench}), membership changes ({@code MembershipBench}), the runtimes ({@code RuntimeBench}) and a TLS ensemble's start next to
 * a plain one's ({@code TlsBench}). Not deployed; depends on the
 * public API of harness-core only.
 */
package io.github.zkharness.bench;
