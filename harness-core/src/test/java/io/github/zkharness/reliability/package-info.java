/**
 * Tests of the harness's own reliability: seeded fault soaks, many ensembles at once, leak cycles, loopback-only
 * binding, hostile input. Longer than the unit tests; run in the normal build with bounded durations.
 */
package io.github.zkharness.reliability;
