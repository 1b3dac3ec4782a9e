package io.github.zkharness.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.jute.Record;
import org.apache.zookeeper.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;

/**
 * Proves which ZooKeeper this module's tests ran on: the one the pom pins ({@code zkharness.expectedZooKeeper}),
 * not the 3.9 that harness-core was compiled against, and prints it into the test report. Also proves that every
 * class of the pom's selection ({@code zkharness.compatTests}) is there to run: surefire would silently run
 * nothing for a class that moved or was renamed.
 */
class ZooKeeperLineTests {

    @Test
    void runsOnThePinnedZooKeeper() {
        String expected = System.getProperty("zkharness.expectedZooKeeper");
        String full = Version.getFullVersion();
        System.out.println("ZooKeeper on the test class path: " + full + " (" + jarOf(Version.class) + ")");
        assertThat(expected).as("zkharness.expectedZooKeeper, set by the pom").startsWith("3.8.");
        assertThat(full).startsWith(expected + "-");
        assertThat(jarOf(Version.class)).endsWith("/zookeeper-" + expected + ".jar");
        assertThat(jarOf(Record.class)).endsWith("/zookeeper-jute-" + expected + ".jar");
        assertThat(jarOf(ZkEnsemble.class)).doesNotContain("zookeeper-3.9");
    }

    @Test
    void everySelectedTestClassIsOnTheClassPath() throws Exception {
        String selection = System.getProperty("zkharness.compatTests");
        assertThat(selection).as("zkharness.compatTests, set by the pom").isNotBlank();
        List<String> missing = new ArrayList<>();
        for (String name : selection.split(",")) {
            try {
                Class<?> type = Class.forName(name.trim());
                boolean hasTests = Arrays.stream(type.getDeclaredMethods())
                        .map(Method::getAnnotations)
                        .flatMap(Arrays::stream)
                        .anyMatch(a -> a.annotationType() == Test.class
                                || a.annotationType().isAnnotationPresent(TestTemplate.class));
                if (!hasTests) {
                    missing.add(name.trim() + " (no @Test or parameterized test method)");
                }
            } catch (ClassNotFoundException e) {
                missing.add(name.trim());
            }
        }
        assertThat(missing)
                .as("selected in compat.tests but not runnable here; add the test jar of the module"
                        + " they moved to, or update the list")
                .isEmpty();
    }

    private static String jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().getPath();
    }
}
