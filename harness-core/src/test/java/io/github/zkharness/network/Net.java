package io.github.zkharness.network;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Test helpers for the network tests. */
final class Net {

    private Net() {
    }

    static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, 10_000, event -> { });
    }

    static ZooKeeper connect(String connectString, int sessionMs, Watcher also) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionMs, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
            also.process(event);
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("client never connected to " + connectString + " within 20 s");
        }
        return zk;
    }

    /** Every node ends with the same last zxid and the same tree (read through each node on its own). */
    static void assertIdenticalData(ZkEnsemble zk) {
        // a fresh epoch has no transaction yet, and followers may report the previous epoch's last zxid: write a
        // marker through the leader so that "caught up" means "applied the same last transaction"
        try (ZooKeeper leader = connect(zk.leader().connectString())) {
            leader.create("/zk-harness-marker-", new byte[0], org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.PERSISTENT_SEQUENTIAL);
        } catch (Exception e) {
            throw new AssertionError("could not write a marker through the leader; " + zk.describe(), e);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long leaderZxid = zk.leader().lastZxid();
            for (ZkNode node : zk.nodes()) {
                assertEquals(leaderZxid, node.lastZxid(), "zxid of node " + node.id() + "; " + zk.describe());
            }
        });
        TreeMap<String, List<String>> reference = null;
        for (ZkNode node : zk.nodes()) {
            try (ZooKeeper client = connect(node.connectString())) {
                TreeMap<String, List<String>> tree = new TreeMap<>();
                walk(client, "/", tree);
                if (reference == null) {
                    reference = tree;
                } else {
                    assertEquals(reference, tree, "tree of node " + node.id());
                }
            } catch (Exception e) {
                throw new AssertionError("could not read the tree of node " + node.id(), e);
            }
        }
    }

    private static void walk(ZooKeeper client, String path, TreeMap<String, List<String>> tree) throws Exception {
        List<String> children = new ArrayList<>(client.getChildren(path, false));
        children.sort(null);
        tree.put(path, children);
        for (String child : children) {
            String childPath = path.equals("/") ? "/" + child : path + "/" + child;
            if (!childPath.startsWith("/zookeeper")) {
                walk(client, childPath, tree);
            }
        }
    }
}
