package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.junit5.ZkCluster;
import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** A real 3-node ZooKeeper ensemble in this JVM: a write survives the leader's crash. */
@ZkCluster(nodes = 3)
class OrdersTest {

    @Test
    void anOrderSurvivesTheLeadersCrash(ZkEnsemble zk, ZooKeeper client) throws Exception {
        byte[] order = "42 apples".getBytes(StandardCharsets.UTF_8);
        client.create("/order", order, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        zk.leader().kill(); // crash: connections reset, no goodbye
        zk.awaitLeader(); // the other two elect a new leader

        try (ZooKeeper fresh = zk.newZooKeeper()) {
            assertArrayEquals(order, fresh.getData("/order", false, null));
        }
    }
}
