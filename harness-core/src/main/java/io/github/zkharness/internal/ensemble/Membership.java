package io.github.zkharness.internal.ensemble;

import io.github.zkharness.NodeState;
import io.github.zkharness.Role;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.internal.FaultRecorder;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.apiguardian.api.API;

/**
 * Membership changes at runtime through ZooKeeper's real incremental reconfiguration, run as the harness's
 * super user straight to the leader's own client port: adding observers and voters, removing members,
 * changing roles, and putting back what the builder declared.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Membership {

    private final Cluster cluster;
    private final NodeControl control;
    private final Directories directories;
    private final HarnessClients clients;

    Membership(Cluster cluster, NodeControl control, Directories directories, HarnessClients clients) {
        this.cluster = cluster;
        this.control = control;
        this.directories = directories;
        this.clients = clients;
    }

    /** Adds a voter or an observer with the lowest free id; returns once it serves in that role. */
    public NodeRuntime add(boolean voter) {
        NodeRuntime node;
        FaultRecorder.Band band;
        synchronized (cluster) {
            cluster.requireRunning(voter ? "add a voter" : "add an observer");
            int id = cluster.config.firstId();
            while (cluster.member(id) != null) {
                id++;
            }
            band = recorder().begin((voter ? "add voter " : "add observer ") + id);
            try {
                node = join(id, voter);
            } catch (RuntimeException | Error e) {
                band.endNow(null);
                throw e;
            }
            recorder().version(node.id(), node.version());
        }
        try {
            awaitRole(node, voter);
        } finally {
            band.endHealed(); // the new configuration in force: every running node serves
        }
        return node;
    }

    /**
     * Starts a server the ensemble owns but that the configuration does not name: id {@code id}, or the lowest
     * free one when {@code id} is null. It syncs as a non-voting follower; returns once it serves.
     *
     * @throws IllegalArgumentException if {@code id} is out of range or already the id of a server of the ensemble
     */
    public NodeRuntime addOutside(Integer id) {
        if (id != null && (id < 1 || id > MAX_ID)) {
            throw new IllegalArgumentException(
                    "server id " + id + " is out of range: an outside server's id must be 1 to " + MAX_ID);
        }
        synchronized (cluster) {
            cluster.requireRunning("add an outside server");
            int chosen = id != null ? id : cluster.config.firstId();
            if (id != null && cluster.member(chosen) != null) {
                throw new IllegalArgumentException("server id " + chosen + " is taken: " + cluster.name()
                        + " has a server with that id already (ids " + cluster.nodeIds()
                        + "); choose another, or addOutsideServer() takes the lowest free one");
            }
            while (cluster.member(chosen) != null) {
                chosen++;
            }
            if (chosen > MAX_ID) {
                throw new IllegalStateException("no free server id left in " + cluster.name() + " (ids "
                        + cluster.nodeIds() + ", at most " + MAX_ID + ")");
            }
            FaultRecorder.Band band = recorder().begin("add outside server " + chosen);
            try {
                NodeRuntime outside = startOutside(chosen, false);
                recorder().version(outside.id(), outside.version());
                return outside;
            } finally {
                band.endHealed();
            }
        }
    }

    /** The highest server id the harness gives out: ZooKeeper puts the id in the top byte of session ids. */
    static final int MAX_ID = 255;

    /**
     * Turns a member into an observer, or back into a voter.
     *
     * @throws IllegalStateException if it already has that role, or the change would leave no quorum
     */
    public NodeRuntime changeRole(NodeRuntime node, boolean voter) {
        FaultRecorder.Band band;
        synchronized (cluster) {
            cluster.requireRunning("change a role");
            requireMember(node);
            if (node.isVoter() == voter) {
                throw new IllegalStateException(
                        "node " + node.id() + " is already " + (voter ? "a voter" : "an observer"));
            }
            if (!voter) {
                requireQuorumWithout(node, "turning node " + node.id() + " into an observer");
            }
            band = recorder().begin("make node " + node.id() + (voter ? " a voter" : " an observer"));
            try {
                reconfigure(serverSpec(node, voter), null);
                node.voter(voter);
            } catch (RuntimeException | Error e) {
                band.endNow(null);
                throw e;
            }
        }
        try {
            awaitRole(node, voter);
        } finally {
            band.endHealed();
        }
        return node;
    }

    /**
     * Takes a member out of the ensemble, shuts it down and deletes its directories; returns once the
     * remaining members serve.
     *
     * @throws IllegalStateException if it was removed already, or the change would leave fewer than 2 voters
     *     or no running quorum
     */
    public void remove(NodeRuntime node) {
        synchronized (cluster) {
            cluster.requireRunning("remove a node");
            requireMember(node);
            if (!node.isConfigured()) {
                discard(node); // outside the configuration: nothing to reconfigure
                return;
            }
            if (node.isVoter()) {
                long voters =
                        cluster.members().stream().filter(NodeRuntime::isVoter).count();
                if (voters <= 2) {
                    throw new IllegalStateException("removing node " + node.id() + " would leave " + (voters - 1)
                            + " voter; ZooKeeper needs at least 2 voters after a reconfiguration (it runs a single"
                            + " voter on its own, as a standalone server)");
                }
                requireQuorumWithout(node, "removing node " + node.id());
            }
            FaultRecorder.Band band = recorder().begin("remove node " + node.id());
            try {
                reconfigure(null, String.valueOf(node.id()));
                discard(node);
                cluster.awaitServing(cluster.config.startTimeout());
            } finally {
                band.endHealed();
            }
        }
    }

    private FaultRecorder recorder() {
        return cluster.faultRecorder();
    }

    /** Whether the members, their roles and ZooKeeper's committed configuration are what the builder declared. */
    boolean asDeclared() {
        if (!cluster.members.keySet().equals(cluster.declared.keySet())) {
            return false;
        }
        return cluster.members().stream()
                .allMatch(n -> n.isConfigured() && cluster.declared.get(n.id()) == n.isVoter());
    }

    /**
     * Puts the membership back to what the builder declared, whoever changed it (the harness, or a test's own
     * reconfiguration): declared servers that are gone start again outside the configuration, declared servers
     * a reconfiguration took out restart as joiners unless they still serve, one reconfiguration names exactly
     * the declared servers in their declared roles, and every server the builder did not declare (added
     * members, outside servers) is shut down and its directories deleted.
     *
     * @return whether anything had to change
     */
    boolean restoreDeclared() {
        cluster.followConfiguration();
        if (asDeclared()) {
            return false;
        }
        for (Map.Entry<Integer, Boolean> d : cluster.declared.entrySet()) {
            NodeRuntime node = cluster.member(d.getKey());
            if (node == null) {
                startOutside(d.getKey(), !d.getValue());
            } else if (!node.isConfigured() && !node.isServing()) {
                node.joinsAsObserver = !d.getValue();
                if (node.state() == NodeState.RUNNING) {
                    control.shutdown(node, NodeState.STOPPED);
                }
                control.startAgain(node);
                cluster.await(
                        "declared node " + node.id() + " syncing with the leader before it rejoins the configuration",
                        cluster.config.startTimeout(),
                        node::isServing);
            }
        }
        if (!committedAsDeclared()) {
            List<String> members = cluster.declared.entrySet().stream()
                    .map(d -> serverSpec(cluster.member(d.getKey()), d.getValue()))
                    .toList();
            reconfigureWith("back to " + members, admin -> admin.reconfigure(null, null, members, -1, new Stat()));
        }
        for (NodeRuntime node : List.copyOf(cluster.members())) {
            if (!cluster.declared.containsKey(node.id())) {
                discard(node);
            }
        }
        cluster.declared.forEach((id, voter) -> {
            NodeRuntime node = cluster.member(id);
            node.voter(voter);
            node.configured(true);
        });
        return true;
    }

    /** Whether the configuration committed now names exactly the declared servers, in their declared roles. */
    private boolean committedAsDeclared() {
        cluster.followConfiguration();
        for (NodeRuntime node : cluster.members()) {
            Boolean voter = cluster.declared.get(node.id());
            boolean configured = node.configuredAsFollowed();
            if (voter == null ? configured : !configured || voter != node.voterAsFollowed()) {
                return false;
            }
        }
        return true;
    }

    private void requireMember(NodeRuntime node) {
        if (node.state() == NodeState.REMOVED || cluster.member(node.id()) != node) {
            throw new IllegalStateException("node " + node.id() + " was removed already");
        }
    }

    /** Starts member {@code id} as a joiner, then commits it into the configuration. Holds the lock. */
    private NodeRuntime join(int id, boolean voter) {
        NodeRuntime node = startOutside(id, !voter);
        try {
            node.voter(voter);
            reconfigure(serverSpec(node, voter), null);
            node.configured(true);
            return node;
        } catch (RuntimeException e) {
            String state = cluster.describe();
            discard(node);
            if (e instanceof ZkHarnessException zk) {
                throw zk;
            }
            throw new ZkHarnessException(
                    "node " + id + " could not join " + cluster.name() + ": " + e.getMessage() + "; nodes: " + state,
                    e);
        }
    }

    /**
     * Starts server {@code id} outside the configuration: its view is the members the configuration names and
     * itself, so it syncs with the leader as a non-voting follower. Returns once it serves. Holds the lock.
     */
    private NodeRuntime startOutside(int id, boolean asObserver) {
        NodeRuntime node = cluster.newMember(id, false);
        node.configured(false);
        node.joinsAsObserver = asObserver;
        directories.place(node);
        Ports ports = cluster.config.ports();
        node.assignPorts(ports.allocate(), ports.allocate());
        cluster.members.put(id, node);
        try {
            node.createDirectories();
            control.bindClientPort(node, 0);
            control.startPeer(node);
            cluster.await(
                    "server " + id + " (outside the configuration) syncing with the leader",
                    cluster.config.startTimeout(),
                    () -> node.process != null && node.process.serving());
            return node;
        } catch (RuntimeException | IOException e) {
            String state = cluster.describe();
            discard(node);
            if (e instanceof ZkHarnessException zk) {
                throw zk;
            }
            throw new ZkHarnessException(
                    "server " + id + " could not start outside the configuration of " + cluster.name() + ": "
                            + e.getMessage() + "; nodes: " + state,
                    e);
        }
    }

    /** Stops a member that is no longer (or never became) one, and forgets it. Holds the lock. */
    private void discard(NodeRuntime node) {
        PeerProcess process = node.process;
        if (process != null) {
            process.shutdown(NodeControl.SHUTDOWN_JOIN);
        }
        cluster.members.remove(node.id(), node);
        node.removed();
        Ports ports = cluster.config.ports();
        ports.release(node.quorumPort);
        ports.release(node.electionPort);
        directories.deleteMember(node);
    }

    /**
     * After a reconfiguration names a member, it re-runs leader election and takes its new role: until then it
     * may still serve in its old one. Waits for the role, then for every member serving.
     */
    private void awaitRole(NodeRuntime node, boolean voter) {
        cluster.await(
                "node " + node.id() + " serving as " + (voter ? "a voter" : "an observer"),
                cluster.config.startTimeout(),
                () -> node.isServing()
                        && (voter
                                ? node.role() == Role.FOLLOWER || node.role() == Role.LEADER
                                : node.role() == Role.OBSERVER));
        cluster.awaitServing(cluster.config.startTimeout());
    }

    private void requireQuorumWithout(NodeRuntime leaving, String change) {
        List<NodeRuntime> voters = cluster.members().stream()
                .filter(n -> n.isVoter() && n != leaving)
                .toList();
        long serving = voters.stream().filter(NodeRuntime::isServing).count();
        if (serving <= voters.size() / 2) {
            throw new IllegalStateException(change + " would leave no quorum: of the " + voters.size()
                    + " remaining voters only " + serving + " serve; nodes: " + cluster.describe());
        }
    }

    /** {@code server.N=host:quorum:election:role;host:clientPort}, as ZooKeeper's reconfig takes it. */
    private static String serverSpec(NodeRuntime node, boolean voter) {
        InetSocketAddress client = node.publicClientAddress;
        return "server." + node.id() + "=127.0.0.1:" + node.quorumPort + ":" + node.electionPort + ":"
                + (voter ? "participant" : "observer") + ";127.0.0.1:" + client.getPort();
    }

    /**
     * Runs one incremental reconfiguration on the leader, as the harness's super user, straight to the leader's
     * own client port (faults on client links do not apply to the harness's own control traffic).
     */
    private void reconfigure(String joining, String leaving) {
        String change = (joining != null ? "joining " + joining : "") + (leaving != null ? "leaving " + leaving : "");
        reconfigureWith(change, admin -> admin.reconfigure(joining, leaving, null, -1, new Stat()));
    }

    /** One reconfiguration call on the leader; {@code change} describes it for messages. */
    private interface Reconfiguration {
        void run(ZooKeeperAdmin admin) throws KeeperException, InterruptedException;
    }

    private void reconfigureWith(String change, Reconfiguration call) {
        NodeRuntime leader = cluster.awaitLeader(cluster.config.startTimeout());
        ZooKeeperAdmin admin = clients.superUserClient(
                "reconfigure (" + change + ")",
                leader,
                (connectString, watcher) -> new ZooKeeperAdmin(connectString, 10_000, watcher, cluster.clientConfig()));
        try {
            call.run(admin);
        } catch (KeeperException.NewConfigNoQuorum e) {
            throw new ZkHarnessException(
                    "ZooKeeper refused the reconfiguration (" + change + "): the new"
                            + " configuration has no connected and synced quorum; nodes: " + cluster.describe(),
                    e);
        } catch (KeeperException e) {
            throw new ZkHarnessException(
                    "ZooKeeper refused the reconfiguration (" + change + "): " + e.getMessage() + "; nodes: "
                            + cluster.describe(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while reconfiguring (" + change + ")", e);
        } finally {
            clients.closeInBackground(admin);
        }
    }
}
