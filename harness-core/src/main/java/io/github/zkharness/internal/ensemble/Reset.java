package io.github.zkharness.internal.ensemble;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.internal.PeerBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Quotas;
import org.apache.zookeeper.ZooKeeper;
import org.apiguardian.api.API;

/**
 * Brings a used ensemble back to a clean state between tests: heals faults, restarts members that went down,
 * puts back the configuration and the declared membership, deletes every znode a test made (whatever its
 * ACL, quotas included), and undoes what four-letter words changed.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Reset {

    /** Deleting a tree whose owners keep writing into it gives up after this many passes. */
    private static final int DELETE_PASSES = 5;

    private final Cluster cluster;
    private final Lifecycle lifecycle;
    private final NodeControl control;
    private final Membership membership;
    private final HarnessClients clients;
    private final Leadership leadership;

    Reset(
            Cluster cluster,
            Lifecycle lifecycle,
            NodeControl control,
            Membership membership,
            HarnessClients clients,
            Leadership leadership) {
        this.cluster = cluster;
        this.leadership = leadership;
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
            cluster.disks().healAll();
            if (cluster.phase == Cluster.Phase.STOPPED) {
                lifecycle.start();
            }
            for (NodeRuntime node : cluster.members()) {
                if (node.state() != NodeState.RUNNING) {
                    if (Disks.pendingDamage(node).isEmpty()) {
                        control.startAgain(node);
                        cluster.faultRecorder().nodeUp(node.id(), () -> cluster.serves(node.id()));
                    } else {
                        control.wipe(node); // files the test damaged: the ensemble resyncs the node
                    }
                }
            }
            // the harness's changes and a test's own reconfiguration alike: back to the declared membership; then every
            // node serves, those restarted or wiped above included, whether the membership changed or not
            membership.restoreDeclared();
            cluster.awaitServing(cluster.config.startTimeout());
            // the builder's leader placement: a test's moveLeader() does not outlive it
            leadership.restorePlacement(cluster.config.startTimeout());
            ZooKeeper client = superUserClient();
            try {
                deleteUserData(client);
            } finally {
                // closed before returning: its closeSession would otherwise move the zxid after reset() returned,
                // and the JUnit layer, which compares zxids to tell a clean ensemble, would reset once more
                clients.closeNow(client);
            }
            for (NodeRuntime node : cluster.members()) {
                PeerBridge server = cluster.server(node.id());
                if (server != null) {
                    server.resetStatistics(); // and the trace mask, static in each loaded ZooKeeper
                }
            }
        }
    }

    /**
     * Deletes every znode outside {@code /zookeeper}, and every quota under {@code /zookeeper/quota}, through
     * {@code client}, the harness's super user. A failure does not stop the rest: what could not be deleted is reported together.
     */
    private ZooKeeper superUserClient() {
        NodeRuntime leader = cluster.awaitLeader(cluster.config.startTimeout());
        return clients.superUserClient(
                "reset the ensemble",
                leader,
                (connectString, watcher) -> new ZooKeeper(connectString, 10_000, watcher, cluster.clientConfig()));
    }

    private void deleteUserData(ZooKeeper client) {
        try {
            ZnodeSweeper sweeper = new ZnodeSweeper(client, cluster.config.startTimeout());
            Map<String, KeeperException.Code> failures = Map.of();
            for (int pass = 1; ; pass++) {
                List<String> roots = userRoots(client);
                if (roots.isEmpty()) {
                    return;
                }
                if (pass > DELETE_PASSES) {
                    break;
                }
                failures = sweeper.delete(roots);
            }
            List<String> reasons = new ArrayList<>();
            failures.forEach((path, code) -> reasons.add(path + " (" + code + ")"));
            throw new ZkHarnessException("reset could not delete every znode after " + DELETE_PASSES + " passes"
                    + (reasons.isEmpty()
                            ? "; clients of the test keep creating znodes"
                            : ": " + String.join(", ", reasons))
                    + ". Close the test's clients before it ends; nodes: " + cluster.describe());
        } catch (KeeperException e) {
            throw new ZkHarnessException(
                    "reset could not list " + e.getPath() + ": " + e.getMessage() + "; nodes: " + cluster.describe(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while deleting test data", e);
        }
    }

    /** The znodes a test made: every child of {@code /} but {@code /zookeeper}, and every quota. */
    private static List<String> userRoots(ZooKeeper client) throws KeeperException, InterruptedException {
        List<String> roots = new ArrayList<>();
        for (String child : client.getChildren("/", false)) {
            if (!child.equals("zookeeper")) {
                roots.add("/" + child);
            }
        }
        for (String quota : client.getChildren(QUOTA_ROOT, false)) {
            roots.add(QUOTA_ROOT + "/" + quota);
        }
        return roots;
    }

    private static final String QUOTA_ROOT = Quotas.quotaZookeeper;
}
