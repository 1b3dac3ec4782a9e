package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.LeaderPlacement;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.junit5.ZkCluster;
import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fresh ZooKeeper ensemble always elects its highest id, so a suite that only starts fresh ensembles tests one
 * leader and never notices code that depends on which node leads (a client pinned to node 3, say). Run the same test
 * with the leader on each node: {@code moveLeader} moves it through ZooKeeper's own election; the reset between
 * tests puts the builder's placement back. {@code LeaderPlacement.random(seed)} draws the leader instead, from a seed
 * the failure message can name.
 */
// spotless:off
// README:leader
@ZkCluster(nodes = 3)
class LeaderOnEveryNodeExample {

    @ParameterizedTest(name = "leader on node {0}")
    @ValueSource(ints = {1, 2, 3})
    void aWriteSurvivesTheLeadersCrashWhicheverNodeLeads(int id, ZkEnsemble zk) throws Exception {
        ZkNode leader = zk.moveLeader(zk.node(id));  // returns once node id leads and every node serves
        try (ZooKeeper client = zk.newZooKeeper()) { // opened after the move: clients of before are reconnecting
            client.create("/order", "paid".getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        leader.kill();
        ZkNode next = zk.awaitLeader();              // the two others elect one of themselves
        try (ZooKeeper survivor = next.newZooKeeper()) {
            assertThat(survivor.getData("/order", false, null)).asString().isEqualTo("paid");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void aSeedDrawsTheLeader(long seed) {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).leader(LeaderPlacement.random(seed)).start()) {
            ZkNode drawn = zk.preferredLeader().orElseThrow();  // the same voter for the same seed
            assertThat(zk.leader()).as("%s", zk).isEqualTo(drawn);  // zk names the seed and the voter drawn
        }
    }
}
// README:end
// spotless:on
