package io.github.zkharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad versions and bad upgrades are refused with messages that say what to do. */
class VersionInputTests {

    @Test
    void aVersionMustBeASupportedReleaseNumber() {
        assertThatThrownBy(() -> ZkVersion.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("release must not be null");
        assertThatThrownBy(() -> ZkVersion.of("3.7.2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZooKeeper 3.7.2 is not supported")
                .hasMessageContaining("3.8.x and 3.9.x");
        assertThatThrownBy(() -> ZkVersion.of("latest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a release number such as 3.8.6")
                .hasMessageContaining("\"latest\"");
        assertThat(ZkVersion.of(ZkVersion.classPath().version())).isEqualTo(ZkVersion.classPath());
        assertThat(ZkVersion.of("3.8.6").isClassPath())
                .isEqualTo(ZkVersion.classPath().version().equals("3.8.6"));
    }

    @Test
    void aMissingJarIsNamedWithTheCommandThatFetchesIt(@TempDir Path repository) {
        String before = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", repository.toString());
        try {
            ZkVersion missing = ZkVersion.of("3.8.6");
            assertThatThrownBy(() ->
                            ZkEnsemble.builder().voters(1).version(missing).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("org.apache.zookeeper:zookeeper:3.8.6 is not in the local Maven repository ("
                            + repository + ")")
                    .hasMessageContaining("mvn dependency:get -Dartifact=org.apache.zookeeper:zookeeper:3.8.6");
        } finally {
            if (before == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", before);
            }
        }
    }

    @Test
    void aDirectoryMustHoldOneZooKeeperJar(@TempDir Path empty) {
        assertThatThrownBy(() -> ZkVersion.fromDirectory(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("directory must not be null");
        assertThatThrownBy(() -> ZkVersion.fromDirectory(empty.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ZkVersion.fromDirectory(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold exactly one zookeeper-<version>.jar")
                .hasMessageContaining("found 0");
    }

    @Test
    void aDirectoryWithTheJarsIsAVersion() throws Exception {
        Path copied = Paths.get("target", "zookeeper-3.8.6"); // the build copies them there
        assertThat(Files.isDirectory(copied))
                .as(copied + " (made by the build)")
                .isTrue();
        ZkVersion version = ZkVersion.fromDirectory(copied);
        assertThat(version.version()).isEqualTo("3.8.6");
        assertThat(version.toString()).contains(copied.toAbsolutePath().toString());
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).version(version).start()) {
            // srvr answers "not currently serving" for a moment after a single server's start
            zk.await(
                    "node 1's srvr names 3.8.6",
                    () -> zk.node(1).fourLetterWord("srvr").contains("Zookeeper version: 3.8.6"));
        }
    }

    @Test
    void badBuilderVersionsAreRefused() {
        assertThatThrownBy(() -> ZkEnsemble.builder().version(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("version must not be null");
        assertThatThrownBy(() -> ZkEnsemble.builder().runtime(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("runtime must not be null");
        assertThatThrownBy(() -> ZkEnsemble.builder().version(0, ZkVersion.classPath()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> ZkEnsemble.builder()
                        .voters(3)
                        .version(4, ZkVersion.classPath())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names server 4 but ids run 1..3");
    }

    @Test
    void onlyARunningMemberCanBeUpgraded() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start()) {
            ZkNode stopped = zk.node(2).stop();
            assertThatThrownBy(() -> stopped.upgrade(ZkVersion.classPath()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node 2 is STOPPED; only a running node can be upgraded");
            assertThatThrownBy(() -> stopped.upgrade(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("version must not be null");
            ZkNode observer = zk.node(4);
            zk.remove(observer);
            assertThatThrownBy(() -> observer.upgrade(ZkVersion.classPath()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node 4 was removed from the ensemble and cannot be upgraded");
        }
    }

    @Test
    void anUpgradeToAMissingVersionLeavesTheNodeRunning(@TempDir Path repository) {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            ZkNode node = zk.node(1);
            String before = System.getProperty("maven.repo.local");
            System.setProperty("maven.repo.local", repository.toString());
            try {
                String other = ZkVersion.classPath().version().equals("3.8.6") ? "3.9.5" : "3.8.6";
                assertThatThrownBy(() -> node.upgrade(ZkVersion.of(other)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("mvn dependency:get -Dartifact=org.apache.zookeeper:zookeeper:" + other);
            } finally {
                if (before == null) {
                    System.clearProperty("maven.repo.local");
                } else {
                    System.setProperty("maven.repo.local", before);
                }
            }
            assertThat(node.state()).isEqualTo(NodeState.RUNNING);
            assertThat(node.isServing()).isTrue();
        }
    }
}
