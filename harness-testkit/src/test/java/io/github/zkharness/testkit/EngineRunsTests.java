package io.github.zkharness.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Fixtures run through {@link EngineRuns} and only there; the results read back as the engine tests need them. */
class EngineRunsTests {

    @Fixture
    static class OnePassesOneFails {
        @Test
        void passes(TestReporter reporter) {
            reporter.publishEntry("note", "passed");
        }

        @Test
        void fails() {
            fail("on purpose");
        }
    }

    @Fixture
    static class Passes {
        @Test
        void passes(TestReporter reporter) {
            reporter.publishEntry("note", "also passed");
        }
    }

    @Test
    void aFixtureRunsThroughEngineRunsAndItsOutcomeReadsBack() {
        EngineExecutionResults results = EngineRuns.run(OnePassesOneFails.class);
        results.testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertEquals("on purpose", EngineRuns.onlyFailure(results).getMessage());
        assertEquals(List.of("passed"), EngineRuns.reportValues(results, "note"));
        assertEquals(List.of("passed"), EngineRuns.reportValues(results, "passes", "note"));
        assertEquals(List.of(), EngineRuns.reportValues(results, "fails", "note"));
    }

    @Test
    void severalFixturesAndParametersInOneRun() {
        EngineExecutionResults results =
                EngineRuns.run(Map.of("unused.parameter", "x"), OnePassesOneFails.class, Passes.class);
        results.testEvents()
                .assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
        assertEquals(
                List.of("also passed", "passed"),
                EngineRuns.reportValues(results, "note").stream().sorted().toList());
    }

    @Test
    void onlyFailureInsistsOnExactlyOne() {
        EngineExecutionResults none = EngineRuns.run(Passes.class);
        assertEquals(List.of(), EngineRuns.failures(none));
        AssertionError e = assertThrows(AssertionError.class, () -> EngineRuns.onlyFailure(none));
        assertEquals("expected exactly one failure, got 0: []", e.getMessage());
    }

    @Test
    void aFixtureOutsideEngineRunsIsSkippedWithAReason() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Passes.class))
                .execute();
        results.containerEvents().assertStatistics(stats -> stats.skipped(1));
        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertEquals(
                "a fixture: runs only through EngineRuns (EngineTestKit)",
                results.containerEvents().skipped().stream()
                        .findFirst()
                        .orElseThrow()
                        .getPayload(String.class)
                        .orElseThrow());
    }
}
