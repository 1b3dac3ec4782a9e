package io.github.zkharness.junit5;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checker;
import io.github.zkharness.check.Checks;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.timeline.Timeline;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.opentest4j.AssertionFailedError;

/**
 * Checks a recorded {@link History} inside a JUnit test, fails the test with the counterexample, and attaches the
 * timeline:
 *
 * <pre>{@code
 * @Test
 * void lockHoldsUnderPartitions(TestInfo test, TestReporter reporter) {
 *     History history = new History();
 *     ... record, under ChaosSchedule.of(zk).history(history) ...
 *     ZkTimelines.check(test, reporter, history, MutualExclusion.of());
 * }
 * }</pre>
 *
 * <p>Every call writes the timeline ({@link Timeline}) of the history and the results to
 * {@code <output>/zk-harness/timelines/<test class>/<test method>.html}, where {@code <output>} is the system property
 * {@value #OUTPUT_PROPERTY} if set, else {@code target} (Maven's build directory) if the working directory has one,
 * else {@code build} (Gradle's) if it has that, else {@code target}. The file is attached to the test: with JUnit 5.12
 * or later through {@code publishFile} (it appears in the Open Test Reporting XML and in IDEs that show attachments);
 * on every version its path is published as the report entry {@value #REPORT_KEY} (and, when it could not be
 * attached, the reason as {@value #NOT_ATTACHED_KEY}). Attaching never fails the test.
 *
 * <p>{@code check} fails the test if a result is not VALID (INVALID, or UNKNOWN: the checker could not decide, which a
 * test must not count as a pass): it throws an {@link AssertionFailedError} whose message is the test's name, every result's text
 * (verdict, explanation, counterexample), the seed and replay of every chaos run recorded in the history
 * ({@link ChaosRun#SEED_EVENT}), and the timeline's path. {@code record} writes the same timeline and returns the
 * result whatever it is; {@code expect} fails unless the verdict is the one the test expects (a test that shows a bug
 * expects INVALID, with a counterexample).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkTimelines {

    /** The report entry key under which the timeline's path is published. */
    public static final String REPORT_KEY = "zk-harness.timeline";
    /**
     * The report entry key that says why the timeline was not attached as a file (an old JUnit, or a launcher that
     * writes no output files, such as EngineTestKit by default); its path is in {@value #REPORT_KEY} all the same.
     */
    public static final String NOT_ATTACHED_KEY = "zk-harness.timeline.not-attached";
    /** The system property naming the build's output directory (default {@code target}, or {@code build}). */
    public static final String OUTPUT_PROPERTY = "zkharness.outputDirectory";

    private ZkTimelines() {}

    /**
     * Runs {@code checkers} on {@code history}, writes and attaches the timeline, and fails the test unless every
     * result is VALID (see the class comment).
     *
     * @param test the running test (a JUnit-injected parameter)
     * @param reporter its reporter (a JUnit-injected parameter)
     * @param history the history
     * @param checkers at least one
     * @return the combined result, VALID
     * @throws AssertionFailedError if a result is not VALID
     * @throws IllegalArgumentException if an argument is null or there is no checker
     */
    public static CheckResult check(TestInfo test, TestReporter reporter, History history, Checker... checkers) {
        return expect(Verdict.VALID, test, reporter, history, checkers);
    }

    /**
     * {@link #check(TestInfo, TestReporter, History, Checker...)} for an extension (or a test that has its
     * {@link ExtensionContext}).
     *
     * @param context the test's extension context
     * @param history the history
     * @param checkers at least one
     * @return the combined result, VALID
     * @throws AssertionFailedError if a result is not VALID
     * @throws IllegalArgumentException if an argument is null or there is no checker
     */
    public static CheckResult check(ExtensionContext context, History history, Checker... checkers) {
        return expect(Verdict.VALID, context, history, checkers);
    }

    /**
     * Runs {@code checkers} on {@code history}, writes and attaches the timeline, and returns the combined result
     * whatever its verdict: for a test that decides itself what the verdict means.
     *
     * @param test the running test (a JUnit-injected parameter)
     * @param reporter its reporter (a JUnit-injected parameter)
     * @param history the history
     * @param checkers at least one
     * @return the combined result (the one result if there is one checker)
     * @throws IllegalArgumentException if an argument is null or there is no checker
     */
    public static CheckResult record(TestInfo test, TestReporter reporter, History history, Checker... checkers) {
        return run(of(test, reporter), history, checkers).result();
    }

    /**
     * {@link #record(TestInfo, TestReporter, History, Checker...)} for an extension.
     *
     * @param context the test's extension context
     * @param history the history
     * @param checkers at least one
     * @return the combined result
     * @throws IllegalArgumentException if an argument is null or there is no checker
     */
    public static CheckResult record(ExtensionContext context, History history, Checker... checkers) {
        return run(of(context), history, checkers).result();
    }

    /**
     * Runs {@code checkers} on {@code history}, writes and attaches the timeline, and fails the test unless the
     * combined verdict is {@code expected}; an expected INVALID must also come with a counterexample (operations or
     * events). For a test that shows a bug: {@code expect(Verdict.INVALID, test, reporter, history,
     * MutualExclusion.of())}. The failure message is the test's name, what was expected, the result's text, the
     * seed of every chaos run in the history and the timeline's path.
     *
     * @param expected the verdict the test expects
     * @param test the running test (a JUnit-injected parameter)
     * @param reporter its reporter (a JUnit-injected parameter)
     * @param history the history
     * @param checkers at least one
     * @return the combined result, with the expected verdict
     * @throws AssertionFailedError if the verdict is another, or INVALID without a counterexample
     * @throws IllegalArgumentException if an argument is null or there is no checker
     */
    public static CheckResult expect(
            Verdict expected, TestInfo test, TestReporter reporter, History history, Checker... checkers) {
        requireExpected(expected);
        return verify(expected, run(of(test, reporter), history, checkers), history);
    }

    /**
     * {@link #expect(Verdict, TestInfo, TestReporter, History, Checker...)} for an extension.
     *
     * @param expected the verdict the test expects
     * @param context the test's extension context
     * @param history the history
     * @param checkers at least one
     * @return the combined result, with the expected verdict
     * @throws AssertionFailedError if the verdict is another, or INVALID without a counterexample
     * @throws IllegalArgumentException if an argument is null or there is no checker
     */
    public static CheckResult expect(Verdict expected, ExtensionContext context, History history, Checker... checkers) {
        requireExpected(expected);
        return verify(expected, run(of(context), history, checkers), history);
    }

    /**
     * Where the timeline of test {@code method} of {@code testClass} is written (see the class comment).
     *
     * @param testClass the test class's name
     * @param method the test method's name
     * @return the path, relative to the working directory unless {@value #OUTPUT_PROPERTY} is absolute
     */
    public static Path timelinePath(String testClass, String method) {
        return outputDirectory()
                .resolve("zk-harness")
                .resolve("timelines")
                .resolve(safe(testClass))
                .resolve(safe(method) + ".html");
    }

    /**
     * How to publish to JUnit, whatever the version: {@code entry} publishes a report entry, {@code target} is the
     * ExtensionContext or TestReporter on which publishFile is looked up.
     */
    private record Publisher(BiConsumer<String, String> entry, Object target) {}

    /** The running test: its names and how to publish to JUnit. */
    private record Target(String className, String testName, String displayName, Publisher publisher) {}

    /** What a run gave: the combined result, the timeline's file, and the test it belongs to. */
    private record Run(CheckResult result, Path file, Target target) {}

    private static Target of(TestInfo test, TestReporter reporter) {
        if (test == null || reporter == null) {
            throw new IllegalArgumentException(
                    "check needs the test's TestInfo and TestReporter, got " + test + ", " + reporter);
        }
        String className = test.getTestClass().map(Class::getName).orElse("unknown-class");
        String testName = test.getTestMethod().map(Method::getName).orElse(test.getDisplayName());
        return new Target(className, testName, test.getDisplayName(), new Publisher(reporter::publishEntry, reporter));
    }

    private static Target of(ExtensionContext context) {
        if (context == null) {
            throw new IllegalArgumentException("check needs the test's ExtensionContext, got null");
        }
        String className = context.getTestClass().map(Class::getName).orElse("unknown-class");
        String testName = context.getTestMethod().map(Method::getName).orElse(context.getDisplayName());
        return new Target(
                className, testName, context.getDisplayName(), new Publisher(context::publishReportEntry, context));
    }

    private static void requireExpected(Verdict expected) {
        if (expected == null) {
            throw new IllegalArgumentException("expect needs the verdict it expects, got null");
        }
    }

    private static Run run(Target target, History history, Checker... checkers) {
        if (history == null || checkers == null || checkers.length == 0) {
            throw new IllegalArgumentException("check needs a history and at least one checker, got " + history
                    + " and " + (checkers == null ? "null" : checkers.length + " checkers"));
        }
        List<CheckResult> results = new ArrayList<>();
        for (Checker c : checkers) {
            if (c == null) {
                throw new IllegalArgumentException("check got a null checker");
            }
            results.add(c.check(history));
        }
        CheckResult combined = results.size() == 1 ? results.get(0) : Checks.combine("all", results);
        String method = target.testName();
        if (!target.displayName().startsWith(target.testName() + "(")) { // a repeated or parameterized invocation
            method = target.testName() + "-" + target.displayName();
        }
        Path file = Timeline.write(history, results, timelinePath(target.className(), method))
                .toAbsolutePath();
        Publisher publisher = target.publisher();
        publisher.entry().accept(REPORT_KEY, file.toString());
        String notAttached = publishFile(publisher.target(), file);
        if (notAttached != null) {
            publisher.entry().accept(NOT_ATTACHED_KEY, notAttached);
        }
        return new Run(combined, file, target);
    }

    private static CheckResult verify(Verdict expected, Run run, History history) {
        CheckResult combined = run.result();
        boolean explained =
                !combined.counterexample().isEmpty() || !combined.events().isEmpty();
        if (combined.verdict() == expected && (expected != Verdict.INVALID || explained)) {
            return combined;
        }
        StringBuilder message = new StringBuilder(run.target().className())
                .append('#')
                .append(run.target().testName());
        if (expected == Verdict.VALID) {
            message.append(": the history ")
                    .append(combined.verdict() == Verdict.INVALID ? "violates " : "could not be checked against ")
                    .append(combined.checker());
        } else if (combined.verdict() == expected) {
            message.append(": expected ")
                    .append(expected)
                    .append(" with a counterexample, but ")
                    .append(combined.checker())
                    .append(" named no operation or event");
        } else {
            message.append(": expected the history to be ")
                    .append(expected)
                    .append(" under ")
                    .append(combined.checker())
                    .append(", but it is ")
                    .append(combined.verdict());
        }
        message.append('\n').append(combined);
        for (Event e : history.events()) {
            if (e.kind().equals(ChaosRun.SEED_EVENT)) {
                message.append("\nchaos ").append(e.description());
            }
        }
        message.append("\ntimeline: ").append(run.file());
        throw new AssertionFailedError(message.toString());
    }

    /**
     * Attaches {@code file} through {@code publishFile(String, MediaType, ThrowingConsumer)} when the running JUnit
     * has it (5.12+); found by reflection so that this class links against JUnit 5.10 too. Returns null when attached,
     * else why not.
     */
    private static @Nullable String publishFile(Object target, Path file) {
        Optional<Method> publish = publishFileMethod(target.getClass());
        if (publish.isEmpty()) {
            return "this JUnit has no publishFile (5.12+)";
        }
        Method m = publish.get();
        try {
            Object mediaType =
                    m.getParameterTypes()[1].getMethod("parse", String.class).invoke(null, "text/html; charset=UTF-8");
            ThrowingConsumer<Path> copy = into -> Files.copy(file, into, StandardCopyOption.REPLACE_EXISTING);
            m.invoke(target, file.getFileName().toString(), mediaType, copy);
            return null;
        } catch (InvocationTargetException e) {
            // e.g. EngineTestKit without an output directory: the report entry still names the file
            return String.valueOf(e.getCause());
        } catch (ReflectiveOperationException e) {
            return String.valueOf(e);
        }
    }

    private static Optional<Method> publishFileMethod(Class<?> type) {
        Method fallback = null;
        for (Class<?> c : interfacesOf(type)) {
            for (Method m : c.getMethods()) {
                Class<?>[] p = m.getParameterTypes();
                if (m.getName().equals("publishFile")
                        && p.length == 3
                        && p[0] == String.class
                        && p[2] == ThrowingConsumer.class) {
                    if (p[1].getName().equals("org.junit.jupiter.api.MediaType")) {
                        return Optional.of(m);
                    }
                    fallback = m;
                }
            }
        }
        return Optional.ofNullable(fallback);
    }

    /** The public interfaces to look methods up on (implementations are often not public classes). */
    private static List<Class<?>> interfacesOf(Class<?> type) {
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                all.add(i);
                for (Class<?> j : i.getInterfaces()) {
                    all.add(j);
                }
            }
        }
        if (TestReporter.class.isAssignableFrom(type)) {
            all.add(0, TestReporter.class);
        }
        if (ExtensionContext.class.isAssignableFrom(type)) {
            all.add(0, ExtensionContext.class);
        }
        return all;
    }

    private static Path outputDirectory() {
        String configured = System.getProperty(OUTPUT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        if (!Files.isDirectory(Path.of("target")) && Files.isDirectory(Path.of("build"))) {
            return Path.of("build");
        }
        return Path.of("target");
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._$-]+", "_");
        return s.length() > 150 ? s.substring(0, 150) : s;
    }
}
