package io.github.zkharness.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that the engine-level tests run through {@link EngineRuns} (EngineTestKit) and that must never run
 * on its own: it is disabled unless the configuration parameter {@value #ENABLED} is {@code true}, which only
 * {@link EngineRuns} sets. Surefire does not even see fixtures (they are nested classes, which it excludes); an IDE
 * that runs them reports them as skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(Fixture.OnlyThroughTestKit.class)
public @interface Fixture {

    /** The configuration parameter that lets a fixture run; {@link EngineRuns} sets it. */
    String ENABLED = "zkharness.fixtures.enabled";

    /** Disables a fixture unless {@link #ENABLED} is {@code true}. */
    final class OnlyThroughTestKit implements ExecutionCondition {
        /** Enabled only when run through {@link EngineRuns}. */
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ENABLED)
                            .map(Boolean::parseBoolean)
                            .orElse(false)
                    ? ConditionEvaluationResult.enabled("run through EngineRuns")
                    : ConditionEvaluationResult.disabled("a fixture: runs only through EngineRuns (EngineTestKit)");
        }
    }
}
