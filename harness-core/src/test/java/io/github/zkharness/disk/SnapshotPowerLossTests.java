package io.github.zkharness.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkRuntime;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.ZkVersion;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A power loss right after a snapshot ZooKeeper did not force. ZooKeeper forces only the snapshot of a SNAP sync; the
 * periodic one after a log roll is written with a plain stream, and here no log sync follows it, because a slow log
 * disk holds the follower's flush (the log on a disk of its own, so the snapshot is written meanwhile). The seeded
 * power loss then keeps it, loses it, leaves it empty or tears it; ZooKeeper starts from the newest valid snapshot
 * and the logs after it, and the follower has every acknowledged write once it serves again, or ZooKeeper refuses and
 * the refusal names the files cut. Log rolls are frequent with {@code zookeeper.snapCount}, which each node's class
 * loader reads when it loads (so the nodes run isolated).
 */
class SnapshotPowerLossTests {

    private static final Duration HELD = Duration.ofSeconds(60);
    private static final Duration SERVING = Duration.ofSeconds(30);

    @Test
    void aPowerLossRightAfterASnapshotNotSyncedLosesOrTearsItAndTheNodeStartsWithEveryWriteOrRefusesByName()
            throws Exception {
        String previous = System.getProperty("zookeeper.snapCount");
        System.setProperty("zookeeper.snapCount", "4"); // a roll and a snapshot every 2 to 4 transactions
        try (ZkEnsemble zk = ZkEnsemble.builder()
                        .voters(3)
                        .runtime(ZkRuntime.ISOLATED)
                        .version(ZkVersion.of("3.9.5"))
                        .separateDataLogDir(true)
                        .start();
                ZooKeeper client = Clients.connect(zk.leader().connectString())) {
            ZkNode follower = zk.followers().get(0);
            AtomicInteger written = new AtomicInteger();
            List<String> lost = new ArrayList<>();
            List<String> torn = new ArrayList<>();
            int startedAfterASnapshotCut = 0;
            List<String> refusals = new ArrayList<>();
            for (long seed = 0;
                    seed < 40 && (lost.isEmpty() || torn.isEmpty() || startedAfterASnapshotCut == 0);
                    seed++) {
                try (Fault held = follower.disk().slowLog(HELD, Duration.ZERO)) {
                    WriteBursts.burst(client, written, 12, SERVING); // committed by the leader and the other follower
                    follower.powerLoss(seed);
                }
                List<DiskDamage> snapshotCuts = follower.disk().pendingDamage().stream()
                        .filter(d -> d.description().contains("snapshot snapshot."))
                        .filter(d -> !d.description().endsWith("kept all it was written"))
                        .toList();
                for (DiskDamage cut : snapshotCuts) {
                    assertThat(cut.file().getFileName().toString()).startsWith("snapshot.");
                    if (cut.description().endsWith("(a torn write)")) {
                        torn.add(cut.description());
                    } else {
                        assertThat(cut.description()).containsAnyOf(" is gone", " is empty:");
                        lost.add(cut.description());
                    }
                }
                List<String> damage = follower.disk().pendingDamage().stream()
                        .map(DiskDamage::description)
                        .toList();
                try {
                    follower.restart().awaitServing(SERVING);
                } catch (ZkStartException refused) {
                    // ZooKeeper's refusal, named with the files the power loss cut
                    assertThat(refused.getMessage())
                            .contains("refused to start")
                            .contains("cut the power: ");
                    refusals.add(refused.getMessage());
                    follower.wipe().awaitServing(SERVING);
                    continue;
                }
                assertHasEveryWrite(zk, follower, written.get(), "seed " + seed + ", files cut: " + damage);
                if (!snapshotCuts.isEmpty()) {
                    startedAfterASnapshotCut++;
                }
            }
            assertThat(lost)
                    .as("a snapshot not synced gone or empty within 40 seeds")
                    .isNotEmpty();
            assertThat(torn).as("a snapshot not synced torn within 40 seeds").isNotEmpty();
            assertThat(startedAfterASnapshotCut)
                    .as("restarts with every write after a snapshot was cut (refusals: %s)", refusals)
                    .isPositive();
        } finally {
            if (previous == null) {
                System.clearProperty("zookeeper.snapCount");
            } else {
                System.setProperty("zookeeper.snapCount", previous);
            }
        }
    }

    /** The follower, read directly, has every write the ensemble acknowledged. */
    private static void assertHasEveryWrite(ZkEnsemble zk, ZkNode follower, int written, String after)
            throws Exception {
        try (ZooKeeper direct = Clients.connect(follower.connectString())) {
            zk.await(
                    "node " + follower.id() + " has all " + written + " acknowledged writes (" + after + ")",
                    SERVING,
                    () -> {
                        try {
                            direct.sync("/roll", (rc, path, ctx) -> {}, null);
                            return direct.getChildren("/roll", false).size() == written;
                        } catch (KeeperException e) {
                            return false;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
        }
    }
}
