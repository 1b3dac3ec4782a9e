package io.github.zkharness.junit5;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.ZooKeeper;

/**
 * Closing the clients the extension injected without making the test wait for ZooKeeper's fixed teardown: plain
 * ZooKeeper clients (opened by {@code ZkEnsemble.newZooKeeper}) and, through {@link CuratorClients}, Curator's.
 */
final class ZooKeeperClients {

    static final int CLOSE_WAIT_MS = 5_000;

    private ZooKeeperClients() {}

    /**
     * Closes {@code client} and returns once its session is closed ({@code getState()} is {@code CLOSED}). The
     * client's own threads finish in the background: ZooKeeper's NIO client sleeps 100 ms while it tears its socket
     * down ({@code ClientCnxnSocketNIO.cleanup}), which would otherwise add 100 ms to every test.
     */
    static AutoCloseable closer(ZooKeeper client) {
        return () -> closeInBackground(
                () -> client.close(CLOSE_WAIT_MS), () -> client.getState() == ZooKeeper.States.CLOSED);
    }

    /** A close that may throw. */
    @FunctionalInterface
    interface Close {
        void close() throws Exception;
    }

    /**
     * Runs {@code close} in a daemon thread and returns as soon as {@code sessionClosed} holds (ZooKeeper has
     * answered the closeSession; what is left is the client's socket teardown) or the close returned, at most
     * {@value #CLOSE_WAIT_MS} ms. A failure of the close after that point is not reported: the session is gone.
     */
    static void closeInBackground(Close close, BooleanSupplier sessionClosed) throws InterruptedException {
        Thread closing = new Thread(
                () -> {
                    try {
                        close.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        // the test's client: whatever it says while closing is not the next test's business
                    }
                },
                "zk-harness-client-close");
        closing.setDaemon(true);
        closing.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        while (closing.isAlive() && !sessionClosed.getAsBoolean() && System.nanoTime() < deadline) {
            closing.join(2);
        }
    }
}
