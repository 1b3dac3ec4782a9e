package io.github.zkharness.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Start order does not matter. A rolling restart works upwards and downwards; node 1, restarted last, rejoins
 * although older guides report it could not: between two servers ZooKeeper keeps only the election connection
 * dialed by the larger id, so a connection from node 1 is dropped and the others must dial back. After a full
 * stop, servers started one by one in any order serve as soon as a quorum of them runs.
 */
@ZkCluster(nodes = 3)
class StartOrderExample {

    @ParameterizedTest(name = "restart order {0}")
    @ValueSource(strings = {"1,2,3", "3,2,1"})
    void aRollingRestartWorksInEitherOrder(String order, ZkEnsemble zk, CuratorFramework client) throws Exception {
        client.create().forPath("/restarted", "none".getBytes(UTF_8));
        for (int id : ids(order)) {
            ZkNode node = zk.node(id).stop();
            client.setData().forPath("/restarted", ("all but " + id).getBytes(UTF_8)); // two of three: a quorum
            node.restart().awaitServing(Duration.ofSeconds(10)); // rejoins and catches up
            zk.awaitServing(); // all three follow one leader again
        }
        ZkNode last = zk.node(ids(order).get(2));
        assertThat(last.role()).isIn(Role.FOLLOWER, Role.LEADER);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> // every node has every write
                        assertThat(zk.nodes())
                                .extracting(n -> n.status().lastZxid())
                                .containsOnly(zk.leader().status().lastZxid()));
    }

    @ParameterizedTest(name = "start order {0}")
    @ValueSource(strings = {"1,2,3", "3,2,1"})
    void afterAFullStopTheEnsembleServesOnceAQuorumRuns(String order, ZkEnsemble zk) throws Exception {
        zk.nodes().forEach(ZkNode::stop); // every server down, data kept
        List<ZkNode> nodes = ids(order).stream().map(zk::node).toList();

        nodes.get(0).restart(); // returns once its ports are bound
        nodes.get(0).awaitRole(Role.LOOKING, Duration.ofSeconds(5));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> zk.findLeader().isEmpty()); // one of three: no quorum, no leader

        nodes.get(1).restart();
        zk.awaitLeader(Duration.ofSeconds(10)); // two of three: they elect and serve
        try (CuratorFramework client =
                CuratorFrameworkFactory.newClient(nodes.get(0).connectString(), new ExponentialBackoffRetry(100, 10))) {
            client.start();
            client.create().forPath("/written-by-two-of-three");
        }

        nodes.get(2).restart().awaitServing(Duration.ofSeconds(10)); // the last one joins them
        zk.awaitServing();
    }

    private static List<Integer> ids(String order) {
        return Arrays.stream(order.split(",")).map(Integer::valueOf).toList();
    }
}
