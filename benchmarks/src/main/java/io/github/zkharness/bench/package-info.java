/**
 * The benchmarks behind {@code bin/zk-bench}: zk-harness side by side with Curator's {@code TestingCluster} in
 * one run ({@code ZkBench}, {@code HarnessScenarios}, {@code CuratorScenarios} in a JVM of its own), the checkers'
 * numbers ({@code CheckBench}), membership changes ({@code MembershipBench}) and the runtimes ({@code RuntimeBench}). Not deployed; depends on the
 * public API of harness-core only.
 */
package io.github.zkharness.bench;
