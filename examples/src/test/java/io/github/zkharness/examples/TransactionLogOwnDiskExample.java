package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.time.Duration;
import java.util.Arrays;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Why the transaction log wants its own disk. Every write waits until a quorum has flushed it to its
 * transaction log; snapshots are written beside the request path. Make the snapshot disks of all servers slow (a
 * backup job, a noisy neighbour): while the log shares that disk, every write is slow; with
 * {@code separateDataLogDir}, writes stay fast, and only a slow log disk slows them.
 *
 * <p>(One slow server alone slows nothing: ZooKeeper commits as soon as any quorum has acknowledged, leader or
 * not. The faults here are on every server.)
 */
class TransactionLogOwnDiskExample {

    private static final Duration SLOW = Duration.ofMillis(100);

    @Test
    void onOneSharedDiskSlowSnapshotsSlowEveryWrite() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = zk.newZooKeeper()) {
            zk.nodes().forEach(node -> node.disk().slowSnapshots(SLOW, Duration.ZERO));
            assertThat(zk.nodes()).allMatch(node -> node.disk().sharesOneDisk());
            assertThat(medianWriteMs(client, "/shared")).isGreaterThanOrEqualTo(SLOW.toMillis());
        }
    }

    @Test
    void onItsOwnDiskTheLogKeepsWritesFastUntilTheLogDiskItselfIsSlow() throws Exception {
        try (ZkEnsemble zk =
                        ZkEnsemble.builder().voters(3).separateDataLogDir(true).start();
                ZooKeeper client = zk.newZooKeeper()) {
            zk.nodes().forEach(node -> node.disk().slowSnapshots(SLOW, Duration.ZERO));
            assertThat(medianWriteMs(client, "/separate")).isLessThan(SLOW.toMillis() / 2);

            for (ZkNode node : zk.nodes()) {
                node.disk().slowLog(SLOW, Duration.ZERO);
            }
            assertThat(medianWriteMs(client, "/slowlog")).isGreaterThanOrEqualTo(SLOW.toMillis());
        }
    }

    /** The median time of 7 writes in a row, in ms. */
    private static long medianWriteMs(ZooKeeper client, String prefix) throws Exception {
        long[] ms = new long[7];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            client.create(prefix + i, new byte[8], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            ms[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
