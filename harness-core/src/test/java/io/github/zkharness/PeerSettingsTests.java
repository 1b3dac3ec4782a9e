package io.github.zkharness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.junit.jupiter.api.Test;

/** Each peer is configured as ZooKeeper configures a server whose zoo.cfg leaves the setting out (the table in docs/guide/what-the-harness-does-to-your-jvm.md). */
class PeerSettingsTests {

    @Test
    void everyPeerRunsWithZooKeepersProductionDefaults() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(2).observers(1).start()) {
            for (ZkNode node : zk.nodes()) {
                QuorumPeer p = peer(node);
                String who = "node " + node.id() + ": ";
                assertFalse(p.isMultiAddressEnabled(), who + "multiAddress.enabled");
                assertTrue(p.isMultiAddressReachabilityCheckEnabled(), who + "multiAddress.reachabilityCheckEnabled");
                assertEquals(1000, p.getMultiAddressReachabilityCheckTimeoutMs(), who + "reachabilityCheckTimeoutMs");
                assertEquals(0, p.getObserverMasterPort(), who + "observerMasterPort");
                assertFalse(p.isSslQuorum(), who + "sslQuorum");
                assertFalse(p.shouldUsePortUnification(), who + "portUnification");
                assertEquals(-1, p.getClientPortListenBacklog(), who + "clientPortListenBacklog");
                assertFalse(p.areLocalSessionsEnabled(), who + "localSessionsEnabled");
                assertFalse(p.isLocalSessionsUpgradingEnabled(), who + "localSessionsUpgradingEnabled");
                assertTrue(p.getSyncEnabled(), who + "syncEnabled");
                assertFalse(p.getQuorumListenOnAllIPs(), who + "quorumListenOnAllIPs");
                assertEquals(3, p.getElectionType(), who + "electionAlg");
                assertEquals(
                        !node.isVoter() ? QuorumPeer.LearnerType.OBSERVER : QuorumPeer.LearnerType.PARTICIPANT,
                        p.getLearnerType(),
                        who + "peerType");
            }
        }
    }

    @Test
    void aTestMayTurnMultiAddressOnForOneServerAndTheEnsembleStillElects() {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .serverSetting(2, "multiAddress.enabled", "true")
                .serverSetting(2, "multiAddress.reachabilityCheckTimeoutMs", "250")
                .serverSetting("clientPortListenBacklog", "64")
                .start()) {
            QuorumPeer two = peer(zk.node(2));
            assertTrue(two.isMultiAddressEnabled());
            assertEquals(250, two.getMultiAddressReachabilityCheckTimeoutMs());
            assertFalse(peer(zk.node(1)).isMultiAddressEnabled());
            assertEquals(64, peer(zk.node(3)).getClientPortListenBacklog());
            // protocol 2 (multi-address) and 1 peers understand each other: a new election still completes
            zk.leader().kill();
            zk.awaitLeader();
        }
    }

    @Test
    void multiAddressSettingsAreChecked() {
        assertEquals(
                "server setting multiAddress.enabled=maybe must be true or false",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ZkEnsemble.builder().serverSetting("multiAddress.enabled", "maybe"))
                        .getMessage());
        assertEquals(
                "server setting multiAddress.reachabilityCheckTimeoutMs=0 must be at least 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ZkEnsemble.builder()
                                        .serverSetting("multiAddress.reachabilityCheckTimeoutMs", "0"))
                        .getMessage());
        assertEquals(
                "server setting 'sslQuorum' is not a per-server setting here: use the builder's tls(true): each peer"
                        + " then gets TLS settings of its own",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ZkEnsemble.builder().serverSetting("sslQuorum", "true"))
                        .getMessage());
        assertEquals(
                "server setting 'quorum.auth.enableSasl' is not a per-server setting here: use the builder's"
                        + " quorumSasl(true)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ZkEnsemble.builder().serverSetting("quorum.auth.enableSasl", "true"))
                        .getMessage());
    }

    @Test
    void snapshotSizeFactorIsPerServerAndCanTurnLogBasedSyncOff() {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .serverSetting(2, "snapshotSizeFactor", "-1")
                .start()) {
            assertTrue(peer(zk.node(1)).getActiveServer().getZKDatabase().isTxnLogSyncEnabled());
            assertFalse(peer(zk.node(2)).getActiveServer().getZKDatabase().isTxnLogSyncEnabled());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ZkEnsemble.builder().serverSetting("snapshotSizeFactor", "2"));
        assertEquals(
                "snapshotSizeFactor must be a number up to 1 (negative turns log-based syncing off), got \"2\"",
                e.getMessage());
    }

    /** ZooKeeper's own peer of {@code node} (the shared runtime's classes, so the cast holds). */
    private static QuorumPeer peer(ZkNode node) {
        return (QuorumPeer) node.runtime().process().bridge().zooKeeperPeer();
    }
}
