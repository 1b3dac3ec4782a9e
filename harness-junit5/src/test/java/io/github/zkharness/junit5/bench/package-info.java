/** Benchmarks of the JUnit door that need its package-private parts (reset times through the engine). */
package io.github.zkharness.junit5.bench;
