package io.github.zkharness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** Real ZooKeeper clients for tests, connected before they are returned. */
final class Clients {

    private Clients() {
    }

    /** A client connected to {@code connectString}, or an AssertionError after 20 s. */
    static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, 10_000);
    }

    static ZooKeeper connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("client never connected to " + connectString + " within 20 s");
        }
        return zk;
    }

    static void create(ZooKeeper zk, String path, String data) throws KeeperException, InterruptedException {
        zk.create(path, data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    static String read(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        return new String(zk.getData(path, false, null), StandardCharsets.UTF_8);
    }
}
