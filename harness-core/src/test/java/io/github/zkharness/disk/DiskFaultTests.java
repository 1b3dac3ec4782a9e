package io.github.zkharness.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.Role;
import io.github.zkharness.ZkDisk;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.internal.ZooKeeperVersion;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Live disk faults on real peers: slow and full logs and snapshot disks, and what ZooKeeper does about them. */
class DiskFaultTests {

    private static final Duration SERVING = Duration.ofSeconds(20);
    private static final Duration DELAY = Duration.ofMillis(150);

    /** The median of {@code n} sequential creates, in ms. */
    static long medianWriteMs(ZooKeeper client, String prefix, int n) throws Exception {
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            client.create(prefix + i, new byte[16], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            ms[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(ms);
        return ms[n / 2];
    }

    @Test
    void aSlowLogSlowsWritesOnlyWhenEveryQuorumHasASlowLog() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            long none = medianWriteMs(client, "/none", 9);
            ZkNode leader = zk.leader();
            ZkNode follower = zk.followers().get(0);
            long slowFollower;
            try (Fault slow = follower.disk().slowLog(DELAY, Duration.ZERO)) {
                slowFollower = medianWriteMs(client, "/follower", 9);
            }
            long slowLeader;
            long slowLeaderAndFollower;
            try (Fault slow = leader.disk().slowLog(DELAY, Duration.ZERO)) {
                // ZooKeeper commits on any quorum of acks: the two fast followers are one
                slowLeader = medianWriteMs(client, "/leader", 9);
                try (Fault also = follower.disk().slowLog(DELAY, Duration.ZERO)) {
                    slowLeaderAndFollower = medianWriteMs(client, "/both", 9);
                }
            }
            String numbers = "median write ms: none " + none + ", slow follower log " + slowFollower
                    + ", slow leader log " + slowLeader + ", slow leader and follower logs " + slowLeaderAndFollower;
            assertTrue(slowFollower < DELAY.toMillis() / 2, numbers);
            assertTrue(slowLeader < DELAY.toMillis() / 2, numbers);
            assertTrue(slowLeaderAndFollower >= DELAY.toMillis(), numbers);
            assertEquals(
                    List.of(),
                    zk.nodes().stream().flatMap(n -> n.disk().faults().stream()).toList());
        }
    }

    @Test
    void aFollowerWhoseLogStallsKeepsServingOn39AndIsDroppedAfterSyncLimitOn38() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.leader().connectString())) {
            ZkNode follower = zk.followers().get(0);
            try (Fault stall = follower.disk().slowLog(Duration.ofSeconds(60), Duration.ZERO)) {
                Clients.create(client, "/held", "x"); // its flush is held; a quorum goes on without it
                if (ZooKeeperVersion.found().startsWith("3.8")) {
                    // 3.8.6: the leader drops it after syncLimit (5 ticks of 100 ms)
                    await().atMost(Duration.ofSeconds(4)).until(() -> !follower.isServing());
                } else {
                    // 3.9.5: it keeps answering the leader's pings, so it follows and serves on, 4 x syncLimit later
                    await().during(Duration.ofSeconds(2))
                            .atMost(Duration.ofSeconds(4))
                            .until(follower::isServing);
                }
                Clients.create(client, "/after", "x");
            }
            follower.awaitServing(SERVING); // healed: the held flush ends at once
            try (ZooKeeper direct = Clients.connect(follower.connectString())) {
                direct.sync("/", (rc, path, ctx) -> {}, null);
                await().atMost(SERVING).until(() -> direct.exists("/after", false) != null);
            }
        }
    }

    @Test
    void aFullLogDiskTakesAFollowerOutWithTheCauseVisibleAndTheEnsembleCarriesOn() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.leader().connectString())) {
            ZkNode follower = zk.followers().get(0);
            Fault full = follower.disk().fullLog();
            assertEquals(
                    List.of(full),
                    zk.nodes().stream().flatMap(n -> n.disk().faults().stream()).toList());
            assertThat(zk.describe()).contains("full log disk of node " + follower.id());
            for (int i = 0; i < 5; i++) {
                Clients.create(client, "/w" + i, "v" + i); // the leader and the other follower are a quorum
            }
            await().atMost(SERVING)
                    .until(() ->
                            !follower.isServing() && !follower.disk().failures().isEmpty());
            DiskFailure first = follower.disk().failures().get(0);
            assertThat(first.what()).isEqualTo("transaction log append failed: No space left on device");
            assertThat(first.threadName()).startsWith("SyncThread");
            assertThat(first.consequence()).contains("state ERROR");
            assertThat(follower.status().toString()).contains("[disk: ").contains("No space left on device");
            assertEquals(NodeState.RUNNING, follower.state()); // no exit: it flaps between election and sync
            Clients.create(client, "/still", "writable");

            full.heal();
            assertFalse(full.isActive());
            follower.awaitServing(SERVING);
            try (ZooKeeper direct = Clients.connect(follower.connectString())) {
                direct.sync("/", (rc, path, ctx) -> {}, null);
                await().atMost(SERVING).until(() -> direct.exists("/still", false) != null);
                assertEquals("v4", Clients.read(direct, "/w4"));
            }
        }
    }

    @Test
    void aFullLogDiskOnTheLeaderElectsAnotherAndResetHealsIt() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.connectString())) {
            ZkNode old = zk.leader();
            old.disk().fullLog();
            Clients.tryCreate(client, "/trigger"); // the leader's SyncThread dies on the first write
            await().atMost(SERVING)
                    .until(() -> zk.findLeader()
                            .filter(l -> l.id() != old.id() && l.isServing())
                            .isPresent());
            Clients.createWithin(client, "/after", SERVING);
            assertThat(old.disk().failures()).isNotEmpty();
            assertThat(old.disk().failures().get(0).threadName()).startsWith("SyncThread");

            zk.reset(); // would throw ZkExitRequestedException had an exit been counted as unexpected
            assertEquals(
                    List.of(),
                    zk.nodes().stream().flatMap(n -> n.disk().faults().stream()).toList());
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isServing), zk.describe());
        }
    }

    @Test
    void zooKeepersExitAfterAFailedSnapshotIsRecordedAsThatNodesCrash() {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).separateDataLogDir(true).start()) {
            // with equal data, the highest id wins the election; a new leader writes a snapshot first
            ZkNode three = zk.node(3);
            Fault full = three.disk().fullSnapshots();
            assertFalse(three.disk().sharesOneDisk());
            assertThat(full.description())
                    .isEqualTo("full snapshot disk of node 3: writes fail with No space left on device");
            zk.stop();
            zk.start();
            await().atMost(SERVING).until(() -> three.state() == NodeState.KILLED);
            List<DiskFailure> failures = three.disk().failures();
            assertThat(failures)
                    .extracting(DiskFailure::what)
                    .containsExactly(
                            "snapshot write failed: No space left on device",
                            "exit(10) requested after the snapshot write failed: No space left on device");
            assertThat(failures.get(1).consequence())
                    .isEqualTo("the harness crashed node 3 as that exit would have" + " (state KILLED)");
            assertThat(three.status().toString()).contains("exit(10) requested");
            ZkNode leader = zk.awaitLeader(SERVING); // the other two carry on; nothing counts as an unexpected exit
            assertTrue(leader.id() != 3);
            full.heal();
            three.restart().awaitServing(SERVING);
            assertEquals(Role.FOLLOWER, three.role());
        }
    }

    @Test
    void badInputIsRefusedWithTheValueNamed() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkDisk disk = zk.node(1).disk();
            assertEquals(
                    "slow log delay must not be negative, got -5 ms",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> disk.slowLog(Duration.ofMillis(-5), Duration.ZERO))
                            .getMessage());
            assertEquals(
                    "slow snapshot jitter must not be negative, got -1 ms",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> disk.slowSnapshots(Duration.ZERO, Duration.ofMillis(-1)))
                            .getMessage());
            assertThat(assertThrows(
                                    IllegalArgumentException.class,
                                    () -> zk.node(7).disk())
                            .getMessage())
                    .isEqualTo("no node with id 7 in " + zk.name() + "; ids are [1, 2, 3]");
            assertThrows(NullPointerException.class, () -> disk.slowLog(null, Duration.ZERO));
            assertEquals(
                    List.of(),
                    zk.nodes().stream().flatMap(n -> n.disk().faults().stream()).toList());
        }
    }
}
