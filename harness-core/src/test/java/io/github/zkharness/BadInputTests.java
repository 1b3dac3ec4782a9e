package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BadInputTests {

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void countsOutOfRangeNameTheValue() {
        assertEquals(
                "voters must be between 1 and 15, got 0",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().voters(0)));
        assertEquals(
                "voters must be between 1 and 15, got -2",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().voters(-2)));
        assertEquals(
                "observers need at least 2 voters: ZooKeeper runs a single voter on its own and never lets"
                        + " observers follow it; got voters(1).observers(1)",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().voters(1).observers(1).build()));
        assertEquals(
                "observers must be between 0 and 15, got -1",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().observers(-1)));
    }

    @Test
    void timingOutOfRangeNamesTheValue() {
        assertEquals(
                "tickTime must be positive, got PT-0.1S",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().tickTime(Duration.ofMillis(-100))));
        assertEquals(
                "initLimit must be at least 1 tick, got 0",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().initLimit(0)));
        assertEquals(
                "syncLimit must be at least 1 tick, got -1",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().syncLimit(-1)));
        assertEquals(
                "min session timeout PT5S exceeds max PT1S",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().sessionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1))));
        assertEquals(
                "startTimeout must be positive, got PT0S",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().startTimeout(Duration.ZERO)));
        assertThrows(NullPointerException.class, () -> ZkEnsemble.builder().tickTime(null));
    }

    @Test
    void serverSettingsAreChecked() {
        assertTrue(
                message(
                                IllegalArgumentException.class,
                                () -> ZkEnsemble.builder().serverSetting("bogus", "1"))
                        .startsWith(
                                "unknown server setting 'bogus'; supported: clientPortListenBacklog, connectToLearnerMasterLimit"));
        assertEquals(
                "server setting 'snapCount' is not a per-server setting here: ZooKeeper reads it JVM-wide: "
                        + "set the system property zookeeper.snapCount",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().serverSetting("snapCount", "10")));
        assertEquals(
                "server setting maxClientCnxns=-3 must be at least 0",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().serverSetting("maxClientCnxns", "-3")));
        assertEquals(
                "server setting syncEnabled=maybe must be true or false",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().serverSetting("syncEnabled", "maybe")));
        assertEquals(
                "serverSetting names server 7 but ids run 1..3",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder()
                                .serverSetting(7, "maxClientCnxns", "10")
                                .build()));
        assertEquals(
                "four-letter word must be four lowercase letters or \"*\", got STAT",
                message(
                        IllegalArgumentException.class,
                        () -> ZkEnsemble.builder().fourLetterWords("STAT")));
    }

    @Test
    void wrongStatesAreRefusedWithTheState() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode node = zk.node(2);
            assertEquals(
                    "node 2 is running; stop() or kill() it before restart()",
                    message(IllegalStateException.class, node::restart));
            assertEquals(
                    "no node with id 9 in " + zk.name() + "; ids are [1, 2, 3]",
                    message(IllegalArgumentException.class, () -> zk.node(9)));
            assertEquals(
                    "no node with id 0 in " + zk.name() + "; ids are [1, 2, 3]",
                    message(IllegalArgumentException.class, () -> zk.node(0)));
            assertEquals(
                    "ensemble " + zk.name() + " is running already; call stop() first",
                    message(IllegalStateException.class, zk::start));
            node.stop();
            assertEquals(
                    "node 2 is STOPPED; only a running node can be killed",
                    message(IllegalStateException.class, node::kill));
            assertEquals(
                    "node 2 is STOPPED; only a running node can be stopped",
                    message(IllegalStateException.class, node::stop));
            assertEquals(
                    "node 2 is STOPPED and cannot answer four-letter words; restart() it first",
                    message(IllegalStateException.class, () -> node.fourLetterWord("ruok")));
            assertThrows(IllegalArgumentException.class, () -> node.awaitServing(Duration.ofMillis(-1)));
        }
    }

    @Test
    void everyCallAfterCloseSaysTheEnsembleIsClosed() {
        ZkEnsemble zk = ZkEnsemble.builder().voters(1).start();
        ZkNode node = zk.node(1);
        assertTrue(zk.isRunning());
        zk.close();
        zk.close(); // idempotent
        assertTrue(zk.isClosed());
        String closed = "ensemble " + zk.name() + " is closed";
        assertEquals(closed, message(IllegalStateException.class, zk::start));
        assertEquals(closed, message(IllegalStateException.class, zk::stop));
        assertEquals(closed, message(IllegalStateException.class, zk::connectString));
        assertEquals(closed, message(IllegalStateException.class, zk::leader));
        assertEquals(closed, message(IllegalStateException.class, zk::awaitLeader));
        assertEquals(closed, message(IllegalStateException.class, node::kill));
        assertEquals(closed, message(IllegalStateException.class, node::restart));
        assertEquals(closed, message(IllegalStateException.class, node::wipe));
        assertEquals(closed, message(IllegalStateException.class, () -> node.fourLetterWord("ruok")));
        assertEquals(closed, message(IllegalStateException.class, node::connectString));
    }

    @Test
    void beforeStartThereIsNothingToConnectTo() {
        ZkEnsemble zk = ZkEnsemble.builder().voters(1).build();
        try {
            assertEquals(
                    "ensemble " + zk.name() + " has not been started; call start() first",
                    message(IllegalStateException.class, zk::connectString));
        } finally {
            zk.close();
        }
    }

    @Test
    void aStartThatTimesOutNamesEveryNodeAndLeavesNothingRunning() {
        // an initLimit too short for a follower to sync never happens on loopback, so starve the start instead
        ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .startTimeout(Duration.ofMillis(1))
                .build();
        ZkStartException e = assertThrows(ZkStartException.class, zk::start);
        assertTrue(
                e.getMessage()
                        .startsWith("ensemble " + zk.name() + " did not start: Timed out after 1 ms waiting for"
                                + " a leader and every running node serving; nodes: 1="),
                e.getMessage());
        assertTrue(zk.liveThreads().isEmpty(), "threads left: " + zk.liveThreads());
        assertEquals("ensemble " + zk.name() + " is closed", message(IllegalStateException.class, zk::connectString));
    }
}
