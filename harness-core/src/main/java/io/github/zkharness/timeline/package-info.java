/**
 * The timeline: one self-contained HTML file (inline SVG, CSS and one small script for hover details, no network) that draws a recorded
 * {@link io.github.zkharness.history.History} and the checkers' results: each node's role over time, faults as bands,
 * every process's operations as bars coloured by outcome, lock holding, and each INVALID result's counterexample
 * highlighted.
 *
 * <p>Depends on {@code io.github.zkharness.history} and {@code io.github.zkharness.check} and the JDK only. The JUnit
 * glue and users' tests may depend on it.
 */
@NullMarked
package io.github.zkharness.timeline;

import org.jspecify.annotations.NullMarked;
