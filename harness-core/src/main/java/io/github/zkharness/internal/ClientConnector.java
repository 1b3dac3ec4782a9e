package io.github.zkharness.internal;

import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * Opens the connected ZooKeeper clients the harness hands to users ({@code ZkEnsemble.newZooKeeper()} and the
 * JUnit injection), with one set of defaults.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClientConnector {

    /**
     * The session timeout every client of the harness asks for. The servers grant it within their bounds
     * (by default 2 ticks to the larger of 20 ticks and 60 s, so 30 s is granted as asked).
     */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

    /** How often a connect wait asks whether it can still succeed. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private ClientConnector() {}

    /**
     * A client of {@code connectString}, connected ({@code SyncConnected}) within {@code timeout}.
     *
     * @param state every node's state, for the message when it does not connect
     * @throws ZkTimeoutException if it does not connect in time (the client is closed then)
     * @throws ZkInterruptedException if the calling thread is interrupted while it waits
     */
    public static ZooKeeper connect(String connectString, Duration timeout, Watcher watcher, Supplier<String> state) {
        return connect(connectString, timeout, watcher, state, () -> null);
    }

    /**
     * As {@link #connect(String, Duration, Watcher, Supplier)}, but gives up as soon as {@code hopeless} says why the
     * client can no longer connect (it returns null while it still may).
     *
     * @throws ZkHarnessException naming what {@code hopeless} said and every node's state, when it says something
     */
    public static ZooKeeper connect(
            String connectString,
            Duration timeout,
            Watcher watcher,
            Supplier<String> state,
            Supplier<String> hopeless) {
        return connect(connectString, timeout, watcher, state, hopeless, null);
    }

    /**
     * As {@link #connect(String, Duration, Watcher, Supplier, Supplier)}, with {@code config} for the client (null:
     * ZooKeeper's default, from system properties); a TLS ensemble's clients get its configuration.
     */
    public static ZooKeeper connect(
            String connectString,
            Duration timeout,
            Watcher watcher,
            Supplier<String> state,
            Supplier<String> hopeless,
            ZKClientConfig config) {
        long start = System.nanoTime();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client;
        try {
            client = new ZooKeeper(
                    connectString,
                    (int) SESSION_TIMEOUT.toMillis(),
                    event -> {
                        if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                            connected.countDown();
                        }
                        if (watcher != null) {
                            watcher.process(event);
                        }
                    },
                    config);
        } catch (IOException e) {
            throw new ZkHarnessException("could not create a client of " + connectString + ": " + e.getMessage(), e);
        }
        try {
            long budget = saturatedNanos(timeout);
            while (!connected.await(
                    Math.min(POLL_NANOS, Math.max(0, budget - (System.nanoTime() - start))), TimeUnit.NANOSECONDS)) {
                String why = hopeless.get();
                if (why != null) {
                    closeInBackground(client); // a client that never connected waits up to 1 s in close()
                    throw new ZkHarnessException("gave up after "
                            + Await.format(Duration.ofNanos(System.nanoTime() - start)) + " waiting for a client of "
                            + connectString + " to connect: " + why + "; nodes: " + state.get());
                }
                if (System.nanoTime() - start >= budget) {
                    closeQuietly(client);
                    throw new ZkTimeoutException("Timed out after " + Await.format(timeout)
                            + " waiting for a client of " + connectString + " to connect; nodes: " + state.get());
                }
            }
            return client;
        } catch (InterruptedException e) {
            closeQuietly(client);
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while a client of " + connectString + " connected", e);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Closes {@code client} on a daemon thread of its own, which ends with the close. */
    public static void closeInBackground(AutoCloseable client) {
        Thread closer = new Thread(
                () -> {
                    try {
                        client.close();
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                "zk-harness-client-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static void closeQuietly(ZooKeeper client) {
        try {
            client.close(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
