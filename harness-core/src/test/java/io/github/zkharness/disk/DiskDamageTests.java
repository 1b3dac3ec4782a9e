package io.github.zkharness.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.testkit.Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Files damaged at rest on a stopped node, then ZooKeeper's own reaction on restart. */
class DiskDamageTests {

    private static final Duration SERVING = Duration.ofSeconds(20);
    private static final int WRITES = 20;

    @Test
    void aLeaderWithATornLogTailRestartsAndResyncsAndNoAcknowledgedWriteIsLost() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            for (int i = 0; i < WRITES; i++) {
                Clients.create(client, "/w" + i, "v" + i);
            }
            ZkNode leader = zk.leader().kill();
            DiskDamage torn = leader.disk().truncateLogTail();
            assertThat(torn.description()).contains("inside its last transaction");
            assertTrue(Files.exists(torn.file()), torn.file() + " should still exist, shorter");
            leader.restart().awaitServing(SERVING);
            zk.awaitServing(SERVING);
            for (ZkNode node : zk.nodes()) {
                try (ZooKeeper direct = Clients.connect(node.connectString())) {
                    direct.sync("/", (rc, path, ctx) -> {}, null);
                    for (int i = 0; i < WRITES; i++) {
                        assertEquals("v" + i, Clients.read(direct, "/w" + i), "node " + node.id() + " lost /w" + i);
                    }
                }
            }
        }
    }

    @Test
    void aCorruptLogRecordStopsTheRestartWithZooKeepersReasonAndResetWipesTheNode() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            for (int i = 0; i < WRITES; i++) {
                Clients.create(client, "/w" + i, "v" + i);
            }
            ZkNode follower = zk.followers().get(0).kill();
            DiskDamage damage = follower.disk().corruptLog();
            ZkStartException refused = assertThrows(ZkStartException.class, follower::restart);
            assertThat(refused.getMessage())
                    .startsWith("node " + follower.id() + " refused to start: ZooKeeper could not load its data (")
                    .contains("CRC check failed")
                    .contains(damage.file().toString())
                    .contains("wipe() starts it empty");
            assertEquals(NodeState.KILLED, follower.state());
            zk.reset(); // wipes the damaged node: the ensemble resyncs it
            assertTrue(follower.isServing());
            assertEquals(3, zk.status().stream().filter(s -> s.serving()).count());
        }
    }

    @Test
    void aFollowerWithoutItsOnlySnapshotRefusesALeaderWithACorruptNewestOneFallsBackToAnOlderOne() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            for (int i = 0; i < WRITES; i++) {
                Clients.create(client, "/w" + i, "v" + i);
            }
            // a follower that synced by diff has only the empty snapshot.0 that every node starts with: without it,
            // ZooKeeper will not start
            ZkNode follower = zk.followers().get(0);
            assertTrue(onlyTheFirstSnapshot(follower), follower + " should have only snapshot.0");
            follower.kill();
            DiskDamage deleted = follower.disk().deleteSnapshot();
            assertFalse(Files.exists(deleted.file()));
            ZkStartException refused = assertThrows(ZkStartException.class, follower::restart);
            assertThat(refused.getMessage())
                    .contains("No snapshot found, but there are log entries. Something is broken!")
                    .contains(deleted.file().toString());
            follower.wipe().awaitServing(SERVING);
            try (ZooKeeper direct = Clients.connect(follower.connectString())) {
                assertEquals("v0", Clients.read(direct, "/w0"));
            }
            // a leader writes a snapshot when it takes office; after writes, that one is newer than snapshot.0
            ZkNode first = zk.leader().kill();
            ZkNode second = zk.awaitLeader(SERVING);
            first.restart().awaitServing(SERVING);
            second.kill();
            DiskDamage corrupt = second.disk().corruptSnapshot();
            assertThat(corrupt.file().getFileName().toString()).isNotEqualTo("snapshot.0");
            second.restart().awaitServing(SERVING);
            try (ZooKeeper direct = Clients.connect(second.connectString())) {
                assertEquals("v" + (WRITES - 1), Clients.read(direct, "/w" + (WRITES - 1)));
            }
        }
    }

    private static boolean onlyTheFirstSnapshot(ZkNode node) {
        try (var files = Files.list(node.status().dataDir().resolve("version-2"))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith("snapshot."))
                    .allMatch(f -> f.equals("snapshot.0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRunningNodeIsNotDamaged() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode node = zk.node(2);
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> node.disk().corruptLog());
            assertEquals(
                    "node 2 is RUNNING; only a stopped or killed node's files can be damaged at rest: stop() or"
                            + " kill() it first, then corrupt its transaction log",
                    e.getMessage());
            assertEquals(NodeState.RUNNING, node.state());
            assertFalse(zk.describe().contains("damage"));
        }
    }
}
