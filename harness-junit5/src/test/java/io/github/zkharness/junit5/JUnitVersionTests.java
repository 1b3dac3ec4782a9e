package io.github.zkharness.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Proves which JUnit the module's tests ran on. The build runs the engine-level tests three times: on the build's
 * JUnit and, with the JUnit jars swapped, on the oldest supported 5.10 and on JUnit 6 (see the pom); each of those
 * runs sets {@code zkharness.expectedJupiterVersion}.
 */
class JUnitVersionTests {

    @Test
    void runsOnTheExpectedJUnit() {
        String expected = System.getProperty("zkharness.expectedJupiterVersion");
        String jupiter = version(ExtensionContext.class);
        System.out.println("JUnit on the test class path: jupiter-api " + jupiter + ", launcher "
                + version(Launcher.class) + ", testkit " + version(EngineTestKit.class));
        if (expected != null) {
            assertThat(jupiter).isEqualTo(expected);
            assertThat(version(Launcher.class)).endsWith(expected.substring(1));
            assertThat(version(EngineTestKit.class)).endsWith(expected.substring(1));
        }
    }

    private static String version(Class<?> type) {
        String fromManifest = type.getPackage().getImplementationVersion();
        return fromManifest != null
                ? fromManifest
                : type.getProtectionDomain().getCodeSource().getLocation().toString();
    }
}
