package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.curator.ZkCurator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

/**
 * A test written for Curator's {@code TestingCluster}, migrated line by line. The comment above each line is the
 * curator-test original; docs/guide/migrating-from-curator-test.md lists every call.
 */
class FromCuratorTestingClusterExample {

    @Test
    void aLeaderLatchMovesWhenItsServerDies() throws Exception {
        // spotless:off
        // README:from-curator
        // TestingCluster cluster = new TestingCluster(3); cluster.start();
        try (ZkEnsemble cluster = ZkEnsemble.builder().voters(3).start();   // returns once all 3 serve
             // CuratorFrameworkFactory.newClient(cluster.getConnectString(), retry) ... client.start();
             CuratorFramework client = ZkCurator.newClient(cluster);
             LeaderLatch latch = new LeaderLatch(client, "/latch", "me")) {
            latch.start();
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
            client.create().withMode(CreateMode.EPHEMERAL).forPath("/alive");

            // InstanceSpec server = cluster.findConnectionInstance(client.getZookeeperClient().getZooKeeper());
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            ZkNode server = cluster.findConnectedNode(session).orElseThrow();

            // cluster.killServer(server);   (curator-test: the JVM keeps the dead server's threads)
            server.kill();                   // connections reset at once; nothing of it keeps running
            cluster.awaitLeader();           // a leader that a quorum follows again

            assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();   // Curator moved on
            assertThat(client.checkExists().forPath("/alive")).isNotNull();           // with its session

            // cluster.restartServer(server);
            server.restart().awaitServing(Duration.ofSeconds(10));
        }   // cluster.close();   (and no directory, thread or socket left behind)
        // README:end
        // spotless:on
    }
}
