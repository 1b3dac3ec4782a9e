package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.check.MutualExclusion;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.testkit.EngineRuns;
import io.github.zkharness.testkit.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link ZkTimelines}: a failed check fails the test with its counterexample and seed, the timeline attached. */
class TimelineEngineTests {

    /** Two processes that both believe they hold the lock, while a recorded chaos run's fault is in force. */
    static History overlapping() {
        History history = new History();
        history.event(
                "chaos",
                "chaos-seed",
                "seed 42; replay: ChaosSchedule.of(zk).seed(42L).start() on 3 voters and 0"
                        + " observers, or run the test again with -Dzkharness.chaos.seed=42");
        history.faultStarted("chaos", "isolate node 1");
        history.acquired(1, "lock");
        history.invoke(1, OpKind.WRITE, "x", "1").ok();
        history.acquired(2, "lock");
        history.released(2, "lock");
        history.released(1, "lock");
        history.faultEnded("chaos", "isolate node 1");
        return history;
    }

    @Fixture
    static class Violation {
        @Test
        void lockUnderChaos(TestInfo test, TestReporter reporter) {
            ZkTimelines.check(test, reporter, overlapping(), MutualExclusion.of());
        }
    }

    @Fixture
    static class Valid {
        @Test
        void lockTakenInTurn(TestInfo test, TestReporter reporter) {
            History history = new History();
            history.acquired(1, "lock");
            history.released(1, "lock");
            history.acquired(2, "lock");
            history.released(2, "lock");
            assertThat(ZkTimelines.check(test, reporter, history, MutualExclusion.of())
                            .isValid())
                    .isTrue();
        }
    }

    /** Resolves the ExtensionContext itself, for the extension-facing overload. */
    static final class ContextResolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ExtensionContext.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context;
        }
    }

    @Fixture
    @ExtendWith(ContextResolver.class)
    static class ThroughTheContext {
        @Test
        void checked(ExtensionContext context) {
            ZkTimelines.check(context, overlapping(), MutualExclusion.of());
        }
    }

    @Fixture
    static class NoChecker {
        @Test
        void misuse(TestInfo test, TestReporter reporter) {
            ZkTimelines.check(test, reporter, new History());
        }
    }

    @Test
    void aViolationFailsTheTestWithTheCounterexampleTheSeedAndTheTimeline() throws Exception {
        EngineExecutionResults results = EngineRuns.run(Violation.class);
        Throwable failure = EngineRuns.onlyFailure(results);
        Path expected = Path.of("target", "zk-harness", "timelines", Violation.class.getName(), "lockUnderChaos.html")
                .toAbsolutePath();
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage())
                .startsWith(Violation.class.getName() + "#lockUnderChaos: the history violates mutual-exclusion\n"
                        + "INVALID mutual-exclusion (key lock): two processes held lock lock at once from ")
                .contains(
                        "Faults in force: isolate node 1 (from ",
                        "\n  events:\n    chaos fault-start \"isolate node 1\" at ",
                        "\n    process-1 lock-acquired \"lock\" at ")
                .endsWith(
                        "\nchaos seed 42; replay: ChaosSchedule.of(zk).seed(42L).start() on 3 voters and 0 observers, or run the"
                                + " test again with -Dzkharness.chaos.seed=42\ntimeline: " + expected);
        assertThat(expected).exists();
        String html = Files.readString(expected);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("isolate node 1", "mutual-exclusion");
        assertThat(EngineRuns.reportValues(results, ZkTimelines.REPORT_KEY)).containsExactly(expected.toString());
        assertFileAttached(results, Violation.class, "lockUnderChaos.html");
    }

    @Test
    void aValidHistoryPassesAndStillLeavesItsTimeline() {
        EngineExecutionResults results = EngineRuns.run(Valid.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        Path expected = Path.of("target", "zk-harness", "timelines", Valid.class.getName(), "lockTakenInTurn.html")
                .toAbsolutePath();
        assertThat(expected).exists();
        assertThat(EngineRuns.reportValues(results, ZkTimelines.REPORT_KEY)).containsExactly(expected.toString());
        assertFileAttached(results, Valid.class, "lockTakenInTurn.html");
    }

    @Test
    void anExtensionCanCheckThroughItsContext() {
        EngineExecutionResults results = EngineRuns.run(ThroughTheContext.class);
        assertThat(EngineRuns.onlyFailure(results).getMessage())
                .startsWith(ThroughTheContext.class.getName() + "#checked: the history violates mutual-exclusion\n");
        assertThat(EngineRuns.reportValues(results, ZkTimelines.REPORT_KEY)).hasSize(1);
        assertFileAttached(results, ThroughTheContext.class, "checked.html");
    }

    @Test
    void withoutACheckerItSaysWhatIsMissing() {
        Throwable failure = EngineRuns.onlyFailure(EngineRuns.run(NoChecker.class));
        assertThat(failure)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "check needs a history and at least one checker, got History[0 ok, 0 fail, 0 unknown, 0 events]"
                                + " and 0 checkers");
    }

    /**
     * On JUnit 5.14+ (with an output directory: EngineTestKit has none by default) the file is published too; older
     * versions only have the report entry, and say why.
     */
    private static void assertFileAttached(
            EngineExecutionResults withoutOutputDirectory, Class<?> fixture, String name) {
        List<String> why = EngineRuns.reportValues(withoutOutputDirectory, ZkTimelines.NOT_ATTACHED_KEY);
        if (!outputDirectoriesExist()) {
            assertThat(why).hasSize(1);
            return;
        }
        assertThat(why)
                .singleElement()
                .asString()
                .contains("Writing outputs is disabled by default when using" + " EngineTestKit");
        EngineExecutionResults results = AttachedFiles.run(fixture);
        assertThat(EngineRuns.reportValues(results, ZkTimelines.NOT_ATTACHED_KEY))
                .isEmpty();
        List<String> files = results.allEvents().fileEntryPublished().stream()
                .map(e -> e.getPayload(FileEntry.class).orElseThrow())
                .map(f -> f.getPath().getFileName().toString())
                .toList();
        assertThat(files).containsExactly(name);
        FileEntry entry = results.allEvents().fileEntryPublished().stream()
                .map(e -> e.getPayload(FileEntry.class).orElseThrow())
                .findFirst()
                .orElseThrow();
        assertThat(entry.getPath()).exists();
        assertThat(entry.getMediaType()).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    }

    /** Whether the running Jupiter has publishFile and the running test kit can give it an output directory. */
    private static boolean outputDirectoriesExist() {
        boolean publishFile = Arrays.stream(TestReporter.class.getMethods())
                .anyMatch(m -> m.getName().equals("publishFile"));
        boolean creator = Arrays.stream(EngineTestKit.Builder.class.getMethods())
                .anyMatch(m -> m.getName().equals("outputDirectoryCreator"));
        return publishFile && creator;
    }
}
