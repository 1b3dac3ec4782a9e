package io.github.zkharness.junit5;

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
 * Marks a test class that the engine-level tests run through {@link TestKit} (EngineTestKit) and that must never run
 * on its own: it is disabled unless the configuration parameter {@value #ENABLED} is {@code true}, which only
 * {@link TestKit} sets. Surefire does not even see fixtures (they are nested classes, which it excludes); an IDE
 * that runs them reports them as skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(Fixture.OnlyThroughTestKit.class)
public @interface Fixture {

    String ENABLED = "zkharness.fixtures.enabled";

    final class OnlyThroughTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ENABLED).map(Boolean::parseBoolean).orElse(false)
                ? ConditionEvaluationResult.enabled("run through TestKit")
                : ConditionEvaluationResult.disabled("a fixture: runs only through TestKit (EngineTestKit)");
        }
    }
}
