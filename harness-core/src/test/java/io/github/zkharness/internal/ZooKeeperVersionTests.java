package io.github.zkharness.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision behind {@link ZooKeeperVersion#requireSupported()} and the message a user of an unsupported
 * ZooKeeper reads. The compat module also runs the check for real, with ZooKeeper 3.7.2 on the class path.
 */
class ZooKeeperVersionTests {

    @ParameterizedTest
    @ValueSource(
            strings = {"3.8.0", "3.8.4", "3.8.6", "3.9.0", "3.9.5", "3.9.5-SNAPSHOT", "3.8.4.7.1.9.0-387", " 3.9.5 "})
    void theSupportedLinesPass(String version) {
        assertTrue(ZooKeeperVersion.isSupported(version), version);
        assertNull(ZooKeeperVersion.problem(version, "somewhere.jar"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "3.7.2", "3.6.4", "3.5.10", "3.4.14", "3.10.0", "3.19.1", "4.0.0", "2.8.0", "30.8.6", "3.8", "3", "",
                "   ", "garbage", "unknown", "v3.9.5", "3.9.x", "-3.9.5"
            })
    void everythingElseIsRefused(String version) {
        assertFalse(ZooKeeperVersion.isSupported(version), version);
        String message = ZooKeeperVersion.problem(version, "somewhere.jar");
        assertNotNull(message);
        assertTrue(message.contains("found ZooKeeper " + version + " on the class path (somewhere.jar)"), message);
    }

    @Test
    void nullIsRefused() {
        assertFalse(ZooKeeperVersion.isSupported(null));
    }

    @Test
    void theMessageNamesTheVersionTheRangeAndHowToPinOne() {
        String message = ZooKeeperVersion.problem("3.7.2", "file:/repo/zookeeper-3.7.2.jar");
        assertEquals(
                "zk-harness supports ZooKeeper 3.8.x and 3.9.x, but found ZooKeeper 3.7.2 on the class path"
                        + " (file:/repo/zookeeper-3.7.2.jar). zk-harness builds its peers on ZooKeeper internals that were checked"
                        + " in those lines only, so it stops here rather than fail later inside a peer. Pin a supported ZooKeeper"
                        + " in the build that runs your tests, for example Maven: <dependencyManagement><dependencies><dependency>"
                        + "<groupId>org.apache.zookeeper</groupId><artifactId>zookeeper</artifactId><version>3.9.5</version>"
                        + "</dependency></dependencies></dependencyManagement>; Gradle (Kotlin DSL):"
                        + " testImplementation(\"org.apache.zookeeper:zookeeper\") { version { strictly(\"3.9.5\") } }."
                        + " See \"Supported versions\" in zk-harness's README. To try this ZooKeeper anyway, at your own risk,"
                        + " set -Dzkharness.allowUnsupportedZooKeeper=true.",
                message);
    }

    @Test
    void theBuildsOwnZooKeeperIsSupported() {
        String found = ZooKeeperVersion.found();
        assertTrue(found.matches("3\\.[89]\\.\\d+(-SNAPSHOT)?"), "ZooKeeper reports itself as " + found);
        ZooKeeperVersion.requireSupported();
    }

    @Test
    void theSuggestedVersionIsInASupportedLineAndTheRangeSaysTheLines() {
        assertTrue(ZooKeeperVersion.isSupported(ZooKeeperVersion.BUILT_AGAINST));
        assertEquals(String.join(".x and ", ZooKeeperVersion.SUPPORTED_LINES) + ".x", ZooKeeperVersion.SUPPORTED_RANGE);
    }
}
