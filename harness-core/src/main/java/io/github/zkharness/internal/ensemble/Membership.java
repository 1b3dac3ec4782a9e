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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
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
        }
        try {
            awaitRole(node, voter);
        } finally {
            band.endHealed(); // the new configuration in force: every running node serves
        }
        return node;
    }

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

    /**
     * Puts ZooKeeper's own configuration back to the harness's members when a test changed it with its own
     * reconfiguration: a member left out of the configuration would never serve again. Reads it through
     * {@code client}, a super-user client of the leader.
     *
     * @return whether it had to reconfigure
     */
    boolean restoreConfiguration(ZooKeeper client) {
        Set<String> expected = new TreeSet<>();
        for (NodeRuntime node : cluster.members()) {
            expected.add(serverSpec(node, node.isVoter()));
        }
        Set<String> actual;
        try {
            actual = parseConfiguration(new String(client.getConfig(false, null), StandardCharsets.UTF_8));
        } catch (KeeperException e) {
            throw new ZkHarnessException(
                    "could not read the ensemble's configuration: " + e.getMessage() + "; nodes: " + cluster.describe(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while reading the ensemble's configuration", e);
        }
        if (actual.equals(normalize(expected))) {
            return false;
        }
        List<String> members = List.copyOf(expected);
        reconfigureWith("back to " + members, admin -> admin.reconfigure(null, null, members, -1, new Stat()));
        return true;
    }

    /** Server lines of a configuration, without the client part: {@code server.N=host:q:e:role}. */
    static Set<String> parseConfiguration(String config) {
        Set<String> servers = new TreeSet<>();
        for (String line : config.split("\\R")) {
            if (line.startsWith("server.")) {
                servers.add(withRole(line.split(";", 2)[0].trim()));
            }
        }
        return servers;
    }

    private static Set<String> normalize(Set<String> specs) {
        Set<String> servers = new TreeSet<>();
        specs.forEach(spec -> servers.add(withRole(spec.split(";", 2)[0])));
        return servers;
    }

    /** ZooKeeper omits the role of participants in some places: make it explicit. */
    private static String withRole(String server) {
        return server.endsWith(":participant") || server.endsWith(":observer") ? server : server + ":participant";
    }

    /** Whether the members and their roles are what the builder declared. */
    boolean asDeclared() {
        if (!cluster.members.keySet().equals(cluster.declared.keySet())) {
            return false;
        }
        return cluster.members().stream().allMatch(n -> cluster.declared.get(n.id()) == n.isVoter());
    }

    /** Puts the membership back to what the builder declared: removes added members, re-adds removed ones. */
    void restoreDeclared() {
        for (NodeRuntime node : List.copyOf(cluster.members())) {
            if (!cluster.declared.containsKey(node.id())) {
                remove(node);
            }
        }
        for (Map.Entry<Integer, Boolean> d : cluster.declared.entrySet()) {
            NodeRuntime node = cluster.member(d.getKey());
            if (node == null) {
                join(d.getKey(), d.getValue());
            } else if (node.isVoter() != d.getValue()) {
                reconfigure(serverSpec(node, d.getValue()), null);
                node.voter(d.getValue());
            }
        }
    }

    private void requireMember(NodeRuntime node) {
        if (node.state() == NodeState.REMOVED || cluster.member(node.id()) != node) {
            throw new IllegalStateException("node " + node.id() + " was removed already");
        }
    }

    /** Starts member {@code id} as a joiner, then commits it into the configuration. Holds the lock. */
    private NodeRuntime join(int id, boolean voter) {
        NodeRuntime node = cluster.newMember(id, voter);
        directories.place(node);
        Ports ports = cluster.config.ports();
        node.assignPorts(ports.allocate(), ports.allocate());
        cluster.members.put(id, node);
        try {
            node.createDirectories();
            control.bindClientPort(node, 0);
            // the joiner's view: the current members and itself; it syncs as a non-voting learner until the
            // reconfiguration that names it commits
            control.startPeer(node);
            cluster.await(
                    "node " + id + " syncing with the leader before it joins the configuration",
                    cluster.config.startTimeout(),
                    () -> node.process != null && node.process.serving());
            reconfigure(serverSpec(node, voter), null);
            return node;
        } catch (RuntimeException | IOException e) {
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
                (connectString, watcher) -> new ZooKeeperAdmin(connectString, 10_000, watcher));
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
