package io.github.zkharness;

import io.github.zkharness.internal.Facades;
import io.github.zkharness.internal.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Breaks an ensemble's network on purpose. Get it from {@code ZkEnsemble.network()}.
 *
 * <p>Every connection between two peers (leader election and leader/learner traffic) and from clients to
 * servers passes through a loopback link the harness controls. Each method here adds a {@link Fault} and
 * returns its handle; {@link #faults()} lists those in force and {@link #healAll()} leaves a fully connected
 * network. Two kinds of breakage, as a firewall would do them:
 * <ul>
 *   <li><b>refused</b> ({@link #partition}, {@link #isolate}, {@link #disconnect}, {@link #cutClients}): existing
 *       connections are reset and new ones refused, so both sides notice at once;</li>
 *   <li><b>held</b> ({@link #cut}, {@link #freeze}, {@link #stall}): bytes stop moving with no reset, so the
 *       other side notices only through ZooKeeper's own timeouts ({@code syncLimit} ticks); when healed, the
 *       held bytes are delivered in order, as TCP would after the network recovers.</li>
 * </ul>
 *
 * <p>Nodes are named by handle: {@code isolate(zk.leader())}, {@code cut(zk.node(1), zk.node(3))}. A null
 * handle is a {@link NullPointerException}, a node of another ensemble or one that is no longer a member an
 * {@link IllegalArgumentException} naming the ids there are. Faults on an ensemble built with {@code links(false)}
 * throw {@link IllegalStateException}. Sessions are not faults of the network: {@code ZkEnsemble.expireSession}
 * and {@code ZkEnsemble.dropClientConnection} act on them.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ZkNetwork {

    static {
        Facades.register(ZkNetwork.class, Network.class, ZkNetwork::new);
    }

    private final Network network;

    private ZkNetwork(Network network) {
        this.network = network;
    }

    /**
     * Splits the ensemble into groups that cannot reach each other; inside a group, peers talk as before. Every
     * node must be in exactly one group, e.g. {@code partition(List.of(zk.node(1), zk.node(2)), List.of(zk.node(3)))}
     * (see {@link #isolate} for the common case of one group against the rest).
     *
     * @throws IllegalArgumentException for fewer than two groups, an empty group, a node in two groups or a node in
     *     none
     */
    @SafeVarargs
    public final Fault partition(Collection<ZkNode>... groups) {
        Objects.requireNonNull(groups, "groups must not be null");
        List<Set<Integer>> ids = new ArrayList<>(groups.length);
        for (Collection<ZkNode> group : groups) {
            Objects.requireNonNull(group, "a partition group must not be null");
            ids.add(idsOf(group));
        }
        return network.partition(ids);
    }

    /**
     * Cuts {@code nodes} off from every other node (clients still reach them): with one node, that node alone; with
     * several, they still talk to each other, as one side of a two-sided {@link #partition}.
     * {@code isolate(leader, follower)} leaves the rest a side of its own.
     *
     * @throws IllegalArgumentException if no node is given, or every node is
     */
    public Fault isolate(ZkNode... nodes) {
        Objects.requireNonNull(nodes, "nodes must not be null");
        if (nodes.length == 0) {
            throw new IllegalArgumentException("isolate needs at least one node, got none");
        }
        Set<Integer> side = idsOf(Arrays.asList(nodes));
        if (side.size() == 1) {
            return network.isolate(side.iterator().next());
        }
        Set<Integer> rest = new TreeSet<>(network.memberIds());
        rest.removeAll(side);
        return network.partition(List.of(side, rest));
    }

    /**
     * Isolates whichever node leads now.
     *
     * @throws IllegalStateException if no node leads now
     */
    public Fault isolateLeader() {
        return network.isolateLeader();
    }

    /** One-way: what {@code from} sends to {@code to} is held, while {@code to}'s traffic to {@code from} flows. */
    public Fault cut(ZkNode from, ZkNode to) {
        return network.cut(id(from, "from"), id(to, "to"));
    }

    /**
     * Freezes {@code node}, as a long GC pause or a hung host looks from outside: nothing it sends or is sent moves,
     * peers and clients included, and nothing is reset. (The frozen peer's own timers still run: it may give up on
     * its peers; whatever it then says is held too.)
     */
    public Fault freeze(ZkNode node) {
        return network.freeze(id(node, "node"));
    }

    /** Holds all traffic between {@code a} and {@code b}, both ways, without a reset. */
    public Fault stall(ZkNode a, ZkNode b) {
        return network.stall(id(a, "a"), id(b, "b"));
    }

    /**
     * Disconnects {@code a} and {@code b}: their connections are reset (a TCP reset, as a firewall rejecting the
     * traffic sends) and new ones refused, both ways. Every other link stays.
     */
    public Fault disconnect(ZkNode a, ZkNode b) {
        return network.disconnect(id(a, "a"), id(b, "b"));
    }

    /**
     * Delays traffic between {@code a} and {@code b}, each way, by {@code base} plus a random part up to
     * {@code jitter} ({@code Duration.ZERO} for none); order is kept.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public Fault latency(ZkNode a, ZkNode b, Duration base, Duration jitter) {
        return network.latency(id(a, "a"), id(b, "b"), base, jitter);
    }

    /** Delays every peer link of {@code node}; see {@link #latency(ZkNode, ZkNode, Duration, Duration)}. */
    public Fault latency(ZkNode node, Duration base, Duration jitter) {
        return network.latency(id(node, "node"), base, jitter);
    }

    /** Limits traffic between {@code a} and {@code b} to {@code rate}, each way, per connection. */
    public Fault bandwidth(ZkNode a, ZkNode b, Rate rate) {
        int from = id(a, "a");
        int to = id(b, "b");
        Objects.requireNonNull(rate, "rate must not be null");
        return network.bandwidth(from, to, rate.bytesPerSecond());
    }

    /** Limits every peer link of {@code node} to {@code rate}, each way, per connection. */
    public Fault bandwidth(ZkNode node, Rate rate) {
        int id = id(node, "node");
        Objects.requireNonNull(rate, "rate must not be null");
        return network.bandwidth(id, rate.bytesPerSecond());
    }

    /**
     * Cuts every client off {@code node}: their connections are reset and new ones refused until healed, so clients
     * move to other servers. The node itself stays in the ensemble.
     */
    public Fault cutClients(ZkNode node) {
        return network.cutClients(id(node, "node"));
    }

    /** The network faults in force, oldest first. */
    public List<Fault> faults() {
        return network.faults();
    }

    /** Heals every network fault: a fully connected network. */
    public void healAll() {
        network.healAll();
    }

    @Override
    public String toString() {
        return "ZkNetwork" + faults();
    }

    private int id(ZkNode node, String parameter) {
        Objects.requireNonNull(node, parameter + " must not be null");
        if (!node.ensemble().name().equals(network.ensembleName())) {
            throw new IllegalArgumentException("node " + node.id() + " belongs to "
                    + node.ensemble().name() + ", not to " + network.ensembleName());
        }
        network.requireMember(node.id());
        return node.id();
    }

    private Set<Integer> idsOf(Collection<ZkNode> nodes) {
        Set<Integer> ids = new TreeSet<>();
        for (ZkNode node : nodes) {
            ids.add(id(node, "a node"));
        }
        return ids;
    }
}
