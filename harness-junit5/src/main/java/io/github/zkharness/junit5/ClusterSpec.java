package io.github.zkharness.junit5;

import io.github.zkharness.DataSeed;
import io.github.zkharness.ZkEnsemble;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What one ensemble declaration asks for, immutable: the calls to make on a fresh {@link ZkEnsemble.Builder}, each
 * with the words the user wrote it in, and what is JUnit's own (the reset between tests, the shared name). The
 * ensemble's settings, their defaults and their checks are the core builder's alone: {@link ZkClusterTranslator}
 * turns {@code @ZkCluster} into such calls, and {@link ZkClusterExtension.Builder#configure} hands over the user's
 * own.
 */
final class ClusterSpec {

    /**
     * One call on the core builder, and how the user wrote it, for messages: {@code nodes = 0} for an attribute,
     * {@code configure(...)} for a customizer.
     */
    record Step(String written, Consumer<ZkEnsemble.Builder> call) {}

    /** How the declaration was written, so that an invalid value is quoted the way the user wrote it. */
    enum Syntax {
        ANNOTATION("@ZkCluster"),
        BUILDER("ZkClusterExtension.builder()");

        private final String whole;

        Syntax(String whole) {
            this.whole = whole;
        }

        String quote(String written) {
            return this == ANNOTATION ? whole + "(" + written + ")" : whole + "." + written;
        }
    }

    /** Carries {@code @ZkCluster} with every attribute at its default. Never run as a test. */
    @ZkCluster
    private static final class Defaults {}

    /** The annotation with every attribute at its default: where the JUnit-only settings' defaults are written. */
    static final ZkCluster DEFAULTS = Defaults.class.getAnnotation(ZkCluster.class);

    private final Syntax syntax;
    private final List<Step> steps;
    private final boolean resetBetweenTests;
    private final String shared;

    ClusterSpec(Syntax syntax, List<Step> steps, boolean resetBetweenTests, String shared) {
        this.syntax = syntax;
        this.steps = List.copyOf(steps);
        this.resetBetweenTests = resetBetweenTests;
        this.shared = shared;
    }

    /** Whether a class-level ensemble is reset before each test that finds it changed. */
    boolean resetBetweenTests() {
        return resetBetweenTests;
    }

    /** The name of an ensemble shared across classes, or empty. */
    String shared() {
        return shared;
    }

    /**
     * The settings as written, for comparing what classes that share an ensemble declare. Customizers of
     * {@code configure(...)} cannot be compared and count by number only.
     */
    String signature() {
        return steps.stream().map(Step::written).collect(Collectors.joining(", ")) + (steps.isEmpty() ? "" : ", ")
                + "resetBetweenTests = " + resetBetweenTests;
    }

    /**
     * Builds the (not yet started) ensemble: each step on a fresh core builder, then {@code seeds}. {@code origin}
     * says where the declaration is ("on class x.Y"); it appears in the message of every invalid value.
     *
     * @throws ExtensionConfigurationException naming the value as written, where, and what is allowed
     */
    ZkEnsemble build(String origin, List<DataSeed> seeds) {
        ZkEnsemble.Builder builder = ZkEnsemble.builder();
        for (Step step : steps) {
            apply(origin, syntax.quote(step.written()), () -> step.call().accept(builder));
        }
        seeds.forEach(builder::seed);
        ZkEnsemble[] built = new ZkEnsemble[1];
        apply(origin, syntax.whole, () -> built[0] = builder.build());
        return built[0];
    }

    private static void apply(String origin, String term, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new ExtensionConfigurationException("Invalid " + term + " " + origin + ": " + e.getMessage(), e);
        }
    }
}
