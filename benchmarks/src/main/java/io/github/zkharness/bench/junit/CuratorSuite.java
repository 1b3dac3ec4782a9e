package io.github.zkharness.bench.junit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Curator's side of suite50_junit: a fresh TestingCluster for each test; the test opens the same two clients the
 * extension would inject (a ZooKeeper client with a 30 s session, connected; a CuratorFramework with a 30 s session
 * and {@code ExponentialBackoffRetry(100, 10)}, connected) and closes them.
 */
public class CuratorSuite {

    private TestingCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @ParameterizedTest
    @MethodSource("io.github.zkharness.bench.junit.SuiteJUnit#tests")
    void test(int test) throws Exception {
        String connectString = cluster.getConnectString();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zooKeeper = new ZooKeeper(connectString, 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(
                connectString, 30_000, 15_000, new ExponentialBackoffRetry(100, 10))) {
            curator.start();
            if (!connected.await(30, TimeUnit.SECONDS) || !curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the clients of " + connectString + " did not connect within 30 s");
            }
            SuiteJUnit.work(zooKeeper, curator, test);
        } finally {
            zooKeeper.close();
        }
    }
}
