package io.github.zkharness.junit5;

import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;

/** Closing the plain ZooKeeper clients the extension injected (they are opened by {@code ZkEnsemble.newZooKeeper}). */
final class ZooKeeperClients {

    private static final int CLOSE_WAIT_MS = 5_000;

    private ZooKeeperClients() {
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
