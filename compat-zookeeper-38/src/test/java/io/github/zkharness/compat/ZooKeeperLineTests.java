package io.github.zkharness.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import org.apache.jute.Record;
import org.apache.zookeeper.Version;
import org.junit.jupiter.api.Test;

/**
 * Proves which ZooKeeper this module's tests ran on: the one the pom pins ({@code zkharness.expectedZooKeeper}),
 * not the 3.9 that harness-core was compiled against. Prints it into the test report.
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

    private static String jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().getPath();
    }
}
