package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.History;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@link ZkTimelines#record} returns the verdict without failing; {@link ZkTimelines#expect} asserts a given one. */
class ExpectedVerdictEngineTests {

    static History inTurn() {
        History history = new History();
        history.acquired(1, "lock");
        history.released(1, "lock");
        history.acquired(2, "lock");
        history.released(2, "lock");
        return history;
    }

    @Fixture
    static class Recorded {
        static CheckResult seen;

        @Test
        void showsTheBug(TestInfo test, TestReporter reporter) {
            seen = ZkTimelines.record(test, reporter, TimelineEngineTests.overlapping(), MutualExclusion.of());
        }
    }

    @Fixture
    static class ExpectsTheBug {
        @Test
        void showsTheBug(TestInfo test, TestReporter reporter) {
            CheckResult result = ZkTimelines.expect(
                    Verdict.INVALID, test, reporter, TimelineEngineTests.overlapping(), MutualExclusion.of());
            assertThat(result.key()).hasValue("lock");
        }
    }

    @Fixture
    static class ExpectsABugThatIsNotThere {
        @Test
        void showsNoBug(TestInfo test, TestReporter reporter) {
            ZkTimelines.expect(Verdict.INVALID, test, reporter, inTurn(), MutualExclusion.of());
        }
    }

    @Fixture
    static class ExpectsAnInvalidWithoutCounterexample {
        @Test
        void bareInvalid(TestInfo test, TestReporter reporter) {
            ZkTimelines.expect(
                    Verdict.INVALID,
                    test,
                    reporter,
                    new History(),
                    h -> CheckResult.invalid("bare", null, "says so", List.of(), List.of()));
        }
    }

    @Fixture
    @ExtendWith(TimelineEngineTests.ContextResolver.class)
    static class ThroughTheContext {
        @Test
        void recordedAndExpected(ExtensionContext context) {
            assertThat(ZkTimelines.record(context, inTurn(), MutualExclusion.of())
                            .isValid())
                    .isTrue();
            ZkTimelines.expect(Verdict.VALID, context, inTurn(), MutualExclusion.of());
        }
    }

    @Fixture
    static class NoVerdict {
        @Test
        void misuse(TestInfo test, TestReporter reporter) {
            ZkTimelines.expect(null, test, reporter, inTurn(), MutualExclusion.of());
        }
    }

    @Test
    void recordReturnsAnInvalidResultWithoutFailingAndWritesTheTimeline() {
        EngineExecutionResults results = EngineRuns.run(Recorded.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(Recorded.seen.verdict()).isEqualTo(Verdict.INVALID);
        Path expected = Path.of("target", "zk-harness", "timelines", Recorded.class.getName(), "showsTheBug.html")
                .toAbsolutePath();
        assertThat(expected).exists();
        assertThat(EngineRuns.reportValues(results, ZkTimelines.REPORT_KEY)).containsExactly(expected.toString());
    }

    @Test
    void aTestThatExpectsTheBugPassesWhenTheCheckerFindsIt() {
        EngineExecutionResults results = EngineRuns.run(ExpectsTheBug.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void aTestThatExpectsABugFailsWhenThereIsNone() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(ExpectsABugThatIsNotThere.class));
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage())
                .startsWith(ExpectsABugThatIsNotThere.class.getName() + "#showsNoBug: expected the history to be"
                        + " INVALID under mutual-exclusion, but it is VALID\nVALID mutual-exclusion: ")
                .contains("\ntimeline: ");
    }

    @Test
    void anExpectedInvalidNeedsACounterexample() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(ExpectsAnInvalidWithoutCounterexample.class));
        assertThat(failure.getMessage())
                .startsWith(ExpectsAnInvalidWithoutCounterexample.class.getName() + "#bareInvalid: expected INVALID"
                        + " with a counterexample, but bare named no operation or event\nINVALID bare: says so");
    }

    @Test
    void anExtensionRecordsAndExpectsThroughItsContext() {
        EngineExecutionResults results = EngineRuns.run(ThroughTheContext.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(EngineRuns.reportValues(results, ZkTimelines.REPORT_KEY)).hasSize(2);
    }

    @Test
    void aMissingVerdictIsNamed() {
        assertThat(EngineRuns.onlyFailure(EngineRuns.run(NoVerdict.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expect needs the verdict it expects, got null");
    }
}
