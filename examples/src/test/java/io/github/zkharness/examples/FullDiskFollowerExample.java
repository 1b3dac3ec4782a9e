package io.github.zkharness.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Fault;
import io.github.zkharness.NodeState;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * A follower whose disk fills up drops out, and the ensemble carries on. ZooKeeper's {@code SyncThread} cannot
 * append to the log, so ZooKeeper stops that server and it goes back to leader election, where it fails again at
 * its next write for as long as the disk stays full; the leader and the other follower are still a quorum. Free
 * the disk and the node rejoins with everything it missed, in memory: its log may lack what it applied while its
 * {@code SyncThread} was down (ZooKeeper bug ZOOKEEPER-4882), which only its next restart shows; the guide's page on
 * disks says more.
 */
@ZkCluster(nodes = 3)
class FullDiskFollowerExample {

    @Test
    void theFollowerDropsOutAndTheEnsembleCarriesOn(ZkEnsemble zk, CuratorFramework client) throws Exception {
        ZkNode follower = zk.followers().get(0);
        Fault full = follower.disk().fullLog();

        for (int i = 0; i < 5; i++) {
            // a quorum without it. If the client sits on the failing follower, the create may commit and its answer
            // be lost: Curator retries it elsewhere and finds its own node. Write idempotently (orSetData).
            client.create().orSetData().forPath("/orders-" + i, ("order " + i).getBytes(UTF_8));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !follower.isServing());
        assertThat(follower.state()).isEqualTo(NodeState.RUNNING); // no crash: it keeps trying
        assertThat(follower.status().toString()).contains("No space left on device");
        assertThat(follower.disk().failures().get(0).threadName()).startsWith("SyncThread");

        full.heal();
        follower.awaitServing(Duration.ofSeconds(20));
        client.sync().forPath("/");
        assertThat(zk.status()).allMatch(s -> s.serving());
    }
}
