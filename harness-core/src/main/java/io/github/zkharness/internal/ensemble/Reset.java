package io.github.zkharness.internal.ensemble;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkHarnessException;
import java.net.InetSocketAddress;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooKeeper;

/**
 * Brings a used ensemble back to a clean state between tests: heals faults, restarts members that went down,
 * restores the declared membership, deletes user data.
 */
public final class Reset {

    private final Cluster cluster;
    private final Lifecycle lifecycle;
    private final NodeControl control;
    private final Membership membership;
    private final HarnessClients clients;

    Reset(Cluster cluster, Lifecycle lifecycle, NodeControl control, Membership membership, HarnessClients clients) {
        this.cluster = cluster;
        this.lifecycle = lifecycle;
        this.control = control;
        this.membership = membership;
        this.clients = clients;
    }

    /** See {@code ZkEnsemble.reset()}. */
    public void reset() {
        synchronized (cluster) {
            cluster.requireStarted();
            // first: a stopped ensemble with a fault in force could not serve again otherwise
            cluster.network().healAll();
            if (cluster.phase == Cluster.Phase.STOPPED) {
                lifecycle.start();
            }
            for (NodeRuntime node : cluster.members()) {
                if (node.state() != NodeState.RUNNING) {
                    control.startAgain(node);
                }
            }
            cluster.awaitServing(cluster.config.startTimeout());
            if (!membership.asDeclared()) {
                membership.restoreDeclared();
                cluster.awaitServing(cluster.config.startTimeout());
            }
            deleteUserData();
        }
    }

    private void deleteUserData() {
        NodeRuntime leader = cluster.findLeader().orElseThrow(() -> new IllegalStateException(
                "no node of " + cluster.name() + " leads now; nodes: " + cluster.describe()));
        InetSocketAddress direct = leader.process.boundClientAddress();
        ZooKeeper client = clients.connected("delete test data",
                watcher -> new ZooKeeper(direct.getHostString() + ":" + direct.getPort(), 10_000, watcher));
        try {
            for (String child : client.getChildren("/", false)) {
                if (!child.equals("zookeeper")) {
                    ZKUtil.deleteRecursive(client, "/" + child);
                }
            }
        } catch (KeeperException e) {
            throw new ZkHarnessException("reset could not delete " + e.getPath() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkHarnessException("interrupted while deleting test data", e);
        } finally {
            clients.closeInBackground(client);
        }
    }
}
