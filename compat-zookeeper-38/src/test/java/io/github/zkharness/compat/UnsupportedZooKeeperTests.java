package io.github.zkharness.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.internal.ZooKeeperVersion;
import org.apache.zookeeper.Version;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the pom's {@code zookeeper-3.7} execution, with ZooKeeper 3.7.2 on the class path instead of the
 * project's: a user who pins an unsupported ZooKeeper gets one clear message from the first start, not a
 * {@code NoSuchMethodError} in a peer thread.
 */
class UnsupportedZooKeeperTests {

    @Test
    void buildingAnEnsembleRefusesZooKeeper37AndSaysWhatToDo() {
        String expected = System.getProperty("zkharness.expectedZooKeeper");
        System.out.println("ZooKeeper on the test class path: " + Version.getFullVersion());
        assertThat(expected).as("zkharness.expectedZooKeeper, set by the pom").startsWith("3.7.");
        assertThat(Version.getFullVersion()).startsWith(expected + "-");

        assertThatThrownBy(() -> ZkEnsemble.builder().voters(1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("zk-harness supports ZooKeeper 3.8.x and 3.9.x, but found ZooKeeper " + expected
                        + " on the class path (")
                .hasMessageContaining("/zookeeper-" + expected + ".jar)")
                .hasMessageContaining("<artifactId>zookeeper</artifactId><version>3.9.5</version>")
                .hasMessageContaining(
                        "testImplementation(\"org.apache.zookeeper:zookeeper\") { version { strictly(\"3.9.5\") } }")
                .hasMessageContaining("\"Supported versions\" in zk-harness's README");
        // the same again, for the next ensemble and for installing the settings early: nothing was half installed
        assertThatThrownBy(ZkEnsemble::installJvmSettings)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "zk-harness supports ZooKeeper 3.8.x and 3.9.x, but found ZooKeeper " + expected);
        assertThatThrownBy(() -> ZkEnsemble.builder().voters(3).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "zk-harness supports ZooKeeper 3.8.x and 3.9.x, but found ZooKeeper " + expected);
        assertThat(System.getProperty("zookeeper.admin.enableServer"))
                .as("no JVM-wide setting was made")
                .isNull();
    }

    @Test
    void theChecksOverrideOnlyWarns() {
        System.setProperty(ZooKeeperVersion.ALLOW_UNSUPPORTED_PROPERTY, "true");
        try {
            ZooKeeperVersion.requireSupported();
        } finally {
            System.clearProperty(ZooKeeperVersion.ALLOW_UNSUPPORTED_PROPERTY);
        }
        assertThatThrownBy(ZooKeeperVersion::requireSupported).isInstanceOf(IllegalStateException.class);
    }
}
