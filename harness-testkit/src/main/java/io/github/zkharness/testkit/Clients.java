package io.github.zkharness.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** Real ZooKeeper clients for tests: connected before they are returned, and the writes tests repeat. */
public final class Clients {

    /** How long {@link #connect} waits for the client's first connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private Clients() {}

    /** A client connected to {@code connectString} with a 10 s session, or an AssertionError after 20 s. */
    public static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, 10_000);
    }

    /** A client connected to {@code connectString}, or an AssertionError after 20 s. */
    public static ZooKeeper connect(String connectString, int sessionTimeoutMs)
            throws IOException, InterruptedException {
        return connect(connectString, sessionTimeoutMs, event -> {});
    }

    /**
     * A client connected to {@code connectString} whose watcher also hands every event to {@code also} (from the
     * first one on), or an AssertionError after 20 s.
     */
    public static ZooKeeper connect(String connectString, int sessionTimeoutMs, Watcher also)
            throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, event -> {
            also.process(event); // first: the caller's watcher has seen the connection once connect() returns
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            zk.close(2000);
            throw new AssertionError(
                    "client never connected to " + connectString + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
        }
        return zk;
    }

    /** A client that connects in the background (for tests that must not wait for it). */
    public static ZooKeeper open(String connectString, int sessionTimeoutMs) throws IOException {
        return new ZooKeeper(connectString, sessionTimeoutMs, event -> {});
    }

    /** Closes {@code zk} if not null, waiting at most 2 s, and ignores what that throws. */
    public static void closeQuietly(ZooKeeper zk) {
        if (zk == null) {
            return;
        }
        try {
            zk.close(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // closing is best effort here: the test has its own failure to report
        }
    }

    /** Creates the persistent node {@code path} holding {@code data} (UTF-8). */
    public static void create(ZooKeeper zk, String path, String data) throws KeeperException, InterruptedException {
        zk.create(path, data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    /** The data of {@code path} as UTF-8 text. */
    public static String read(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        return new String(zk.getData(path, false, null), StandardCharsets.UTF_8);
    }

    /**
     * One attempt to create the empty persistent node {@code path}: whether the server took the write. Any
     * {@link KeeperException} (connection loss, no quorum, node exists) is a no.
     */
    public static boolean tryCreate(ZooKeeper zk, String path) {
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            return true;
        } catch (KeeperException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Retries creating the empty persistent node {@code path} until the server takes the write, or fails after
     * {@code timeout} with a message naming the path and the client. A retry that finds the node already there
     * counts as done: an earlier attempt whose answer was lost (connection loss) did create it.
     */
    public static void createWithin(ZooKeeper zk, String path, Duration timeout) {
        AtomicBoolean attempted = new AtomicBoolean();
        await("a write of " + path + " through " + zk).atMost(timeout).until(() -> {
            try {
                zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return true;
            } catch (KeeperException.NodeExistsException e) {
                if (attempted.get()) {
                    return true;
                }
                throw e;
            } catch (KeeperException e) {
                attempted.set(true);
                return false;
            }
        });
    }
}
