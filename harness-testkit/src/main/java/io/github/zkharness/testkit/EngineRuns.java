package io.github.zkharness.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs {@link Fixture} classes through the JUnit Jupiter engine and reads what happened. */
public final class EngineRuns {

    private EngineRuns() {}

    /** Runs the fixture classes and returns every event. */
    public static EngineExecutionResults run(Class<?>... fixtures) {
        return run(Map.of(), fixtures);
    }

    /** Runs the fixture classes with these configuration parameters besides {@link Fixture#ENABLED}. */
    public static EngineExecutionResults run(Map<String, String> parameters, Class<?>... fixtures) {
        Map<String, String> all = new HashMap<>(parameters);
        all.put(Fixture.ENABLED, "true");
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(all)
                .selectors(Arrays.stream(fixtures).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new))
                .execute();
    }

    /** Every failure, containers' and tests', in the order they happened. */
    public static List<Throwable> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable)
                        .orElseThrow())
                .toList();
    }

    /** The one failure of the run. */
    public static Throwable onlyFailure(EngineExecutionResults results) {
        List<Throwable> failures = failures(results);
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failure, got " + failures.size() + ": " + failures);
        }
        return failures.get(0);
    }

    /** The values published under {@code key}, by test display name order of publication. */
    public static List<String> reportValues(EngineExecutionResults results, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
                .map(entry -> entry.getKeyValuePairs().get(key))
                .filter(v -> v != null)
                .toList();
    }

    /** The report entries of the test whose display name starts with {@code test}. */
    public static List<String> reportValues(EngineExecutionResults results, String test, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(test))
                .map(Event::getPayload)
                .map(p -> p.map(ReportEntry.class::cast).orElseThrow())
                .map(entry -> entry.getKeyValuePairs().get(key))
                .filter(v -> v != null)
                .toList();
    }
}
