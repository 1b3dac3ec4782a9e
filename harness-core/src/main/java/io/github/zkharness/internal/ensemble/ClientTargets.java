package io.github.zkharness.internal.ensemble;

import io.github.zkharness.NodeState;
import io.github.zkharness.internal.ClientConnector;
import io.github.zkharness.internal.PeerLinks;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * What the harness checks before and while a user's client of an ensemble connects ({@code newZooKeeper},
 * {@code ZkCurator.newClient}): the connect string parses and names servers of this ensemble only, and at least one
 * of them could take the client. A mistake fails at once with the fix in the message, and a wait that can no
 * longer succeed (every server it could use is stopped, killed, removed or refuses clients) ends as soon as that
 * is seen, not at the timeout.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClientTargets {

    private final Cluster cluster;

    private ClientTargets(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The checks for clients of {@code cluster}. */
    public static ClientTargets of(Cluster cluster) {
        return new ClientTargets(cluster);
    }

    /** The checks for clients of the open ensemble named {@code name} (a started one that is not closed). */
    public static ClientTargets named(String name) {
        Cluster cluster = OpenEnsembles.cluster(name);
        if (cluster == null) {
            throw new IllegalStateException("ensemble " + name + " is not open (never started, or closed)");
        }
        return new ClientTargets(cluster);
    }

    /**
     * The ids of the members {@code connectString} names, after checking that it parses and names servers of this
     * ensemble only.
     *
     * @throws IllegalArgumentException naming the string and the ensemble's own connect string if not
     */
    public Set<Integer> parse(String connectString) {
        String hosts = connectString;
        int slash = connectString.indexOf('/');
        if (slash >= 0) {
            hosts = connectString.substring(0, slash);
        }
        if (hosts.isBlank()) {
            if (slash >= 0) {
                String chroot = connectString.substring(slash);
                throw new IllegalArgumentException("connectString \"" + connectString + "\" is a chroot alone, with no"
                        + " server; a chroot is a suffix of a connect string: newZooKeeper(ensemble.connectString() + \""
                        + chroot + "\"), here \"" + own() + chroot + "\"");
            }
            throw new IllegalArgumentException("connectString \"" + connectString + "\" names no server; "
                    + cluster.name() + "'s connect string is " + own());
        }
        Set<Integer> ids = new LinkedHashSet<>();
        List<String> foreign = new ArrayList<>();
        for (String entry : hosts.split(",", -1)) {
            String address = entry.trim();
            int colon = address.lastIndexOf(':');
            int port = colon < 0 ? -1 : port(address.substring(colon + 1));
            String host = colon <= 0 ? "" : address.substring(0, colon);
            if (port < 0 || host.isBlank()) {
                throw new IllegalArgumentException("connectString \"" + connectString
                        + "\" does not parse as host:port[,host:port...][/chroot] (\"" + address + "\" is not"
                        + " host:port); " + cluster.name() + "'s connect string is " + own());
            }
            Integer id = memberAt(host, port);
            if (id == null) {
                foreign.add(address);
            } else {
                ids.add(id);
            }
        }
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException("connectString \"" + connectString + "\" names "
                    + (ids.isEmpty() ? "no server of " + cluster.name() : "servers that are not of " + cluster.name())
                    + " (" + String.join(", ", foreign) + (foreign.size() == 1 ? " is" : " are")
                    + " not among its client addresses); its connect string is " + own()
                    + "; for a server of your own, use ZooKeeper's constructor: new ZooKeeper(connectString,"
                    + " sessionTimeoutMs, watcher)");
        }
        return ids;
    }

    /**
     * Throws unless the member {@code id} could take a client of its own now.
     *
     * @param alternative what a client of the whole ensemble is called, for the message
     * @throws IllegalStateException naming the node, its state and what to do
     */
    public void requireUsable(int id, NodeState state, String alternative) {
        requireNotStopped();
        if (state == NodeState.REMOVED || cluster.member(id) == null) {
            throw new IllegalStateException("node " + id + " was removed from " + cluster.name()
                    + ", so a client of it alone cannot connect; use a member: " + alternative);
        }
        String why = unusable(id);
        if (why != null) {
            throw new IllegalStateException(why + ", so a client of it alone cannot connect; "
                    + (why.contains("refuses clients") ? "heal that fault" : "restart() it") + " first, or use "
                    + alternative);
        }
    }

    /**
     * Throws unless at least one of {@code ids} could take a client now.
     *
     * @throws IllegalStateException naming each server's state if none can
     */
    public void requireAnyUsable(String connectString, Set<Integer> ids) {
        requireNotStopped();
        String why = noneUsable(ids);
        if (why != null) {
            throw new IllegalStateException("no server that connectString \"" + connectString
                    + "\" names can take a client now: " + why + "; restart() one of them first");
        }
    }

    /** Null while at least one of {@code ids} could take a client, else why none can ("node 1 is STOPPED, ..."). */
    public String noneUsable(Set<Integer> ids) {
        List<String> reasons = new ArrayList<>();
        for (int id : ids) {
            String why = unusable(id);
            if (why == null) {
                return null;
            }
            reasons.add(why);
        }
        return String.join(", ", reasons);
    }

    /** {@link #noneUsable} of every member now (members may come and go while a client connects). */
    public String noneOfTheMembersUsable() {
        return noneUsable(cluster.nodeIds());
    }

    /**
     * A client of {@code connectString}, connected within {@code timeout}, after {@link #parse} and
     * {@link #requireAnyUsable}; it gives up as soon as none of the servers it names could take it any more.
     */
    public ZooKeeper connect(String connectString, Duration timeout) {
        Set<Integer> ids = parse(connectString);
        requireAnyUsable(connectString, ids);
        return ClientConnector.connect(
                connectString, timeout, null, cluster::describe, () -> noneUsable(ids), cluster.clientConfig());
    }

    /** A client configuration for the ensemble's client ports: TLS when it has TLS, else null. */
    public ZKClientConfig clientConfig() {
        return cluster.clientConfig();
    }

    private void requireNotStopped() {
        if (cluster.phase() == Cluster.Phase.STOPPED) {
            throw new IllegalStateException(
                    "ensemble " + cluster.name() + " is stopped, so no client can connect; start() it first");
        }
    }

    /** Null if member {@code id} runs and takes clients, else why not: "node 2 is STOPPED". */
    private String unusable(int id) {
        NodeRuntime node = cluster.member(id);
        if (node == null) {
            return "node " + id + " was removed";
        }
        NodeState state = node.state();
        if (state != NodeState.RUNNING) {
            return "node " + id + " is " + state;
        }
        PeerLinks links = cluster.links;
        if (links != null && links.clientsRefused(id)) {
            return "node " + id + " refuses clients (cut clients of node " + id + ")";
        }
        return null;
    }

    private Integer memberAt(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (!h.equals("127.0.0.1") && !h.equals("localhost")) {
            return null;
        }
        for (NodeRuntime node : cluster.members()) {
            InetSocketAddress address = node.clientAddress();
            if (address != null && address.getPort() == port) {
                return node.id();
            }
        }
        return null;
    }

    private String own() {
        return cluster.members().stream()
                .map(NodeRuntime::clientAddress)
                .map(a -> a.getHostString() + ":" + a.getPort())
                .collect(Collectors.joining(","));
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }
}
