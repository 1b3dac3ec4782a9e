package io.github.zkharness.network;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.testkit.Clients;
import io.github.zkharness.testkit.TreeReader;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** What the network tests check about a whole ensemble (the client helpers are in the test kit's Clients). */
final class Net {

    private Net() {}

    /** Every node ends with the same last zxid and the same tree (read through each node on its own). */
    static void assertIdenticalData(ZkEnsemble zk) {
        // a fresh epoch has no transaction yet, and followers may report the previous epoch's last zxid: write a
        // marker through the leader so that "caught up" means "applied the same last transaction"
        try (ZooKeeper leader = Clients.connect(zk.leader().connectString())) {
            leader.create(
                    "/zk-harness-marker-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        } catch (Exception e) {
            throw new AssertionError("could not write a marker through the leader; " + zk.describe(), e);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long leaderZxid = zk.leader().status().lastZxid();
            for (ZkNode node : zk.nodes()) {
                assertEquals(leaderZxid, node.status().lastZxid(), "zxid of node " + node.id() + "; " + zk.describe());
            }
        });
        Map<String, String> reference = null;
        for (ZkNode node : zk.nodes()) {
            try (ZooKeeper client = Clients.connect(node.connectString())) {
                Map<String, String> tree = TreeReader.read(client);
                if (reference == null) {
                    reference = tree;
                } else {
                    assertEquals(
                            reference,
                            tree,
                            "tree of node " + node.id() + ": " + TreeReader.differences(reference, tree, 10));
                }
            } catch (Exception e) {
                throw new AssertionError("could not read the tree of node " + node.id(), e);
            }
        }
    }
}
