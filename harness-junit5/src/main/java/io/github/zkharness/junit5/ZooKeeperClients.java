package io.github.zkharness.junit5;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Plain ZooKeeper clients for injection. */
final class ZooKeeperClients {

    /** What a client asks for; the servers grant at most their maximum (20 ticks unless configured otherwise). */
    private static final int REQUESTED_SESSION_TIMEOUT_MS = 60_000;
    private static final int CLOSE_WAIT_MS = 5_000;

    private ZooKeeperClients() {
    }

    /** A client connected within {@code timeout} (SyncConnected); {@code null} (and closed) if it did not connect. */
    static ZooKeeper connect(String connectString, Duration timeout) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(connectString, REQUESTED_SESSION_TIMEOUT_MS, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            client.close(CLOSE_WAIT_MS);
            return null;
        }
        return client;
    }

    /**
     * Closes {@code client} and returns once its session is closed ({@code getState()} is {@code CLOSED}). The
     * client's own threads finish in the background: ZooKeeper's NIO client sleeps 100 ms while it tears its socket
     * down ({@code ClientCnxnSocketNIO.cleanup}), which would otherwise add 100 ms to every test.
     */
    static AutoCloseable closer(ZooKeeper client) {
        return () -> {
            Thread closing = new Thread(() -> {
                try {
                    client.close(CLOSE_WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "zk-harness-client-close");
            closing.setDaemon(true);
            closing.start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
            while (closing.isAlive() && client.getState() != ZooKeeper.States.CLOSED
                && System.nanoTime() < deadline) {
                closing.join(2);
            }
        };
    }
}
