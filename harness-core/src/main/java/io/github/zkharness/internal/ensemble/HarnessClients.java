package io.github.zkharness.internal.ensemble;

import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.PeerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The harness's own ZooKeeper clients (for reset and reconfiguration): opened in the ensemble's thread group,
 * so that close reaps their threads whatever happens, and closed in the background, because ZooKeeper's
 * client spends a fixed 100 ms in {@code close()} that no caller here needs to wait for.
 */
final class HarnessClients {

    /** Opens one client to {@code connectString}, handing it the watcher that reports the connection. */
    interface Factory<T extends ZooKeeper> {
        T open(String connectString, Watcher watcher) throws IOException;
    }

    private final Cluster cluster;

    HarnessClients(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * A client of the harness's own, connected straight to {@code server}'s own client port (faults on client
     * links do not apply to the harness's control traffic), with super-user rights on that server: ACLs do
     * not stop it and it may reconfigure the ensemble.
     *
     * @throws ZkTimeoutException if it does not connect within the start timeout
     */
    <T extends ZooKeeper> T superUserClient(String purpose, NodeRuntime server, Factory<T> factory) {
        PeerProcess process = server.process;
        InetSocketAddress direct = process.boundClientAddress();
        T client =
                connected(purpose, watcher -> factory.open(direct.getHostString() + ":" + direct.getPort(), watcher));
        long session = client.getSessionId();
        try {
            cluster.await(
                    "the server-side connection of the harness's session 0x" + Long.toHexString(session) + " on node "
                            + server.id() + " to " + purpose,
                    cluster.config.startTimeout(),
                    () -> process.bridge().grantSuperUser(session));
        } catch (RuntimeException e) {
            closeInBackground(client);
            throw e;
        }
        return client;
    }

    /** Opens a client with the watcher it is given. */
    private interface Opener<T extends ZooKeeper> {
        T open(Watcher watcher) throws IOException;
    }

    private <T extends ZooKeeper> T connected(String purpose, Opener<T> factory) {
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher = event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        AtomicReference<T> created = new AtomicReference<>();
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread opener = new Thread(
                cluster.threads,
                () -> {
                    try {
                        created.set(factory.open(watcher));
                    } catch (IOException e) {
                        failure.set(e);
                    }
                },
                cluster.name() + "-client");
        opener.start();
        long timeoutMs = cluster.config.startTimeout().toMillis();
        try {
            opener.join(timeoutMs);
            T client = created.get();
            if (client == null) {
                throw new ZkHarnessException(
                        "no client to " + purpose + ": " + failure.get() + "; nodes: " + cluster.describe(),
                        failure.get());
            }
            if (!connected.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                closeInBackground(client);
                throw new ZkTimeoutException("Timed out after " + Await.format(cluster.config.startTimeout())
                        + " waiting for a client connection to the leader to " + purpose + "; nodes: "
                        + cluster.describe());
            }
            return client;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while connecting to " + purpose, e);
        }
    }

    /**
     * Closes {@code client} and waits (at most the start timeout) until its server confirmed the end of its session,
     * a transaction: once this returns, the session's close no longer moves any server's last zxid.
     */
    void closeNow(ZooKeeper client) {
        try {
            client.close((int)
                    Math.min(Integer.MAX_VALUE, cluster.config.startTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while closing the harness's own client", e);
        }
    }

    /** Closes {@code client} on a daemon thread of the ensemble. */
    void closeInBackground(ZooKeeper client) {
        Thread closer = new Thread(
                cluster.threads,
                () -> {
                    try {
                        client.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                cluster.name() + "-client-close");
        closer.setDaemon(true);
        closer.start();
    }
}
