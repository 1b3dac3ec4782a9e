package io.github.zkharness.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.NodeState;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import io.github.zkharness.junit5.ZkNodeId;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Observers add read capacity, not votes: they serve reads and forward writes to the leader, but the quorum is
 * a majority of the voters alone. So 2 voters + 1 observer stop serving when one voter is down, although two of
 * the three servers still run. An observer added at runtime (ZooKeeper's dynamic reconfiguration) syncs the data
 * and serves reads, and the vote count stays the same.
 */
class ObserversAddNoVotesExample {

    @Test
    @ZkCluster(nodes = 3, observers = 1) // 2 voters and 1 observer
    void twoVotersAndAnObserverStopWhenOneVoterIsDown(
            ZkEnsemble zk, @ZkNodeId(3) ZkNode observer, @ZkNodeId(3) ZooKeeper client) throws Exception {
        assertThat(observer.role()).isEqualTo(Role.OBSERVER);
        client.create(
                "/through-the-observer",
                new byte[0],
                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT); // forwarded to the leader, which needs 2 of 2 voters

        zk.node(1).stop(); // one voter down, the observer still up
        zk.node(2).awaitRole(Role.LOOKING, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> !observer.isServing());

        assertThat(zk.nodes()).filteredOn(n -> n.state() == NodeState.RUNNING).hasSize(2);
        assertThat(zk.findLeader()).isEmpty(); // 1 vote of 2 is no majority; the observer has none
        assertThat(observer.fourLetterWord("srvr")).contains("not currently serving requests");
    }

    @Test
    @ZkCluster(nodes = 2)
    void anObserverAddedAtRuntimeServesReads(ZkEnsemble zk, CuratorFramework client) throws Exception {
        client.create().forPath("/config", "v1".getBytes(UTF_8));

        ZkNode added = zk.addObserver(); // synced with the leader, listed in the config
        added.awaitRole(Role.OBSERVER, Duration.ofSeconds(10)).awaitServing(Duration.ofSeconds(10));

        assertThat(added.id()).isEqualTo(3);
        assertThat(added.fourLetterWord("srvr")).contains("Mode: observer");
        assertThat(zk.voters()).hasSize(2); // still 2 votes: a quorum is still 2
        // /zookeeper/config lists it, once the client's server applied the reconfiguration (the leader did first)
        String line = "server.3=127.0.0.1:" + added.status().quorumPort() + ":"
                + added.status().electionPort() + ":observer";
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(new String(client.getConfig().forEnsemble(), UTF_8))
                        .contains(line));
        try (CuratorFramework reader = CuratorFrameworkFactory.builder()
                .connectString(added.connectString())
                .ensembleTracker(false) // the observer alone: no servers from /zookeeper/config
                .retryPolicy(new ExponentialBackoffRetry(100, 10))
                .build()) {
            reader.start();
            assertThat(reader.getData().forPath("/config")).asString(UTF_8).isEqualTo("v1");
        }
    }
}
