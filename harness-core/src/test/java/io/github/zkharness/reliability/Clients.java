package io.github.zkharness.reliability;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Plain ZooKeeper clients for the reliability tests. */
final class Clients {

    private Clients() {
    }

    /** A client that connects in the background. */
    static ZooKeeper open(String connectString, int sessionTimeoutMs) throws IOException {
        return new ZooKeeper(connectString, sessionTimeoutMs, event -> { });
    }

    /** A client connected to {@code connectString}, or an AssertionError after 20 s. */
    static ZooKeeper connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close(2000);
            throw new AssertionError("client never connected to " + connectString + " within 20 s");
        }
        return zk;
    }
}
