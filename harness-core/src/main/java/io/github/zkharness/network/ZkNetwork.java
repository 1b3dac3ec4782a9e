package io.github.zkharness.network;

import io.github.zkharness.ZkNode;
import java.time.Duration;
import java.util.ArrayList;
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
 * network ({@code dropClientConnection} and {@code expireSession}, which add none, moved to {@code ZkEnsemble}).
 * Two kinds of breakage, as a firewall would do them:
 * <ul>
 *   <li><b>refused</b> ({@link #partition}, {@link #isolate}, {@link #reset}, {@link #cutClients}): existing
 *       connections are reset and new ones refused, so both sides notice at once;</li>
 *   <li><b>held</b> ({@link #cut}, {@link #freeze}, {@link #stall}): bytes stop moving with no reset, so the
 *       other side notices only through ZooKeeper's own timeouts ({@code syncLimit} ticks); when healed, the
 *       held bytes are delivered in order, as TCP would after the network recovers.</li>
 * </ul>
 *
 * <p>Nodes are named by handle ({@code isolate(zk.leader())}) or by id ({@code isolate(2)}); an unknown id, or a
 * node of another ensemble, is an {@link IllegalArgumentException} naming the ids there are. Faults on an
 * ensemble built with {@code links(false)} throw {@link IllegalStateException}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public abstract class ZkNetwork {

    /** For the harness's own implementation. */
    protected ZkNetwork() {}

    /**
     * Splits the ensemble into groups that cannot reach each other; inside a group, peers talk as before.
     * Every node must be in exactly one group, e.g. {@code partition(Set.of(1, 2), Set.of(3))}.
     *
     * @throws IllegalArgumentException for fewer than two groups, an empty group, an unknown id, a node in
     *     two groups or a node in none
     */
    @SafeVarargs
    public final Fault partition(Set<Integer>... groups) {
        Objects.requireNonNull(groups, "groups must not be null");
        List<Set<Integer>> list = new ArrayList<>(groups.length);
        for (Set<Integer> group : groups) {
            list.add(Objects.requireNonNull(group, "a partition group must not be null"));
        }
        return partition(list);
    }

    /** {@link #partition(Set[])} with the groups in a list. */
    public abstract Fault partition(List<Set<Integer>> groups);

    /** Cuts node {@code id} off from every other peer (clients still reach it). */
    public abstract Fault isolate(int id);

    /**
     * Isolates whichever node leads now.
     *
     * @throws IllegalStateException if no node leads now
     */
    public abstract Fault isolateLeader();

    /** One-way: what {@code from} sends to {@code to} is held, while {@code to}'s traffic to {@code from} flows. */
    public abstract Fault cut(int from, int to);

    /**
     * Freezes node {@code id}, as a long GC pause or a hung host looks from outside: nothing it sends or is
     * sent moves, peers and clients included, and nothing is reset. (The frozen peer's own timers still run:
     * it may give up on its peers; whatever it then says is held too.)
     */
    public abstract Fault freeze(int id);

    /** Holds all traffic between {@code a} and {@code b}, both ways, without reset. */
    public abstract Fault stall(int a, int b);

    /** Resets the connections between {@code a} and {@code b} and refuses new ones. */
    public abstract Fault reset(int a, int b);

    /**
     * Delays traffic between {@code a} and {@code b}, each way, by {@code base} plus a random part up to
     * {@code jitter}; order is kept.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public abstract Fault latency(int a, int b, Duration base, Duration jitter);

    /** Delays every peer link of node {@code id}; see {@link #latency(int, int, Duration, Duration)}. */
    public abstract Fault latency(int id, Duration base, Duration jitter);

    /**
     * Limits traffic between {@code a} and {@code b} to {@code bytesPerSecond}, each way, per connection.
     *
     * @throws IllegalArgumentException unless {@code bytesPerSecond > 0}
     * @deprecated {@code bandwidth(1, 2)} compiles and means 2 bytes per second: use
     *     {@link #bandwidth(ZkNode, ZkNode, Rate)}
     */
    @Deprecated(since = "0.1")
    public abstract Fault bandwidth(int a, int b, long bytesPerSecond);

    /**
     * Limits every peer link of node {@code id}; see {@link #bandwidth(int, int, long)}.
     *
     * @deprecated use {@link #bandwidth(ZkNode, Rate)}
     */
    @Deprecated(since = "0.1")
    public abstract Fault bandwidth(int id, long bytesPerSecond);

    /**
     * Cuts every client off node {@code id}: their connections are reset and new ones refused until healed, so
     * clients move to other servers. The node itself stays in the ensemble.
     */
    public abstract Fault cutClients(int id);

    /**
     * Drops the connection of session {@code sessionId} at its server, without expiring the session: the
     * client reconnects (maybe elsewhere) and keeps its session and ephemeral nodes.
     *
     * @throws IllegalArgumentException if no running server holds a connection for that session
     * @deprecated not a fault (nothing to heal): use {@code ZkEnsemble.dropClientConnection(long)}
     */
    @Deprecated(since = "0.1")
    public abstract void dropClientConnection(long sessionId);

    /**
     * Expires session {@code sessionId} for real, on the server side, as its timeout would: the leader closes
     * it, its ephemeral nodes are deleted, watchers fire, and its client learns of the expiry when it next
     * talks to a server. (ZooKeeper's client-side {@code injectSessionExpiration()} only fools the client.)
     *
     * @throws IllegalArgumentException if the leader does not know that session
     * @throws IllegalStateException if no node leads now
     * @deprecated not a fault (nothing to heal): use {@code ZkEnsemble.expireSession(long)}
     */
    @Deprecated(since = "0.1")
    public abstract void expireSession(long sessionId);

    // ---------------------------------------------------------------------------------------------- by handle

    /** {@link #isolate(int)} by handle. */
    public final Fault isolate(ZkNode node) {
        return isolate(id(node));
    }

    /**
     * Cuts {@code group} off from every other node: its members still talk to each other, as in a two-sided
     * {@link #partition}. {@code isolate(List.of(leader, follower))} leaves the rest a side of its own.
     *
     * @throws IllegalArgumentException if the group is empty or holds every node
     */
    public final Fault isolate(Collection<ZkNode> group) {
        Objects.requireNonNull(group, "group must not be null");
        Set<Integer> side = new TreeSet<>();
        group.forEach(n -> side.add(id(n)));
        Set<Integer> rest = new TreeSet<>(memberIds());
        rest.removeAll(side);
        List<Set<Integer>> groups = new ArrayList<>();
        groups.add(side);
        groups.add(rest);
        return partition(groups);
    }

    /** {@link #cut(int, int)} by handle. */
    public final Fault cut(ZkNode from, ZkNode to) {
        return cut(id(from), id(to));
    }

    /** {@link #freeze(int)} by handle. */
    public final Fault freeze(ZkNode node) {
        return freeze(id(node));
    }

    /** {@link #stall(int, int)} by handle. */
    public final Fault stall(ZkNode a, ZkNode b) {
        return stall(id(a), id(b));
    }

    /** {@link #reset(int, int)} by handle. */
    public final Fault reset(ZkNode a, ZkNode b) {
        return reset(id(a), id(b));
    }

    /** {@link #latency(int, int, Duration, Duration)} by handle. */
    public final Fault latency(ZkNode a, ZkNode b, Duration base, Duration jitter) {
        return latency(id(a), id(b), base, jitter);
    }

    /** {@link #latency(int, Duration, Duration)} by handle. */
    public final Fault latency(ZkNode node, Duration base, Duration jitter) {
        return latency(id(node), base, jitter);
    }

    /** Limits traffic between {@code a} and {@code b} to {@code rate}, each way, per connection. */
    @SuppressWarnings("deprecation")
    public final Fault bandwidth(ZkNode a, ZkNode b, Rate rate) {
        Objects.requireNonNull(rate, "rate must not be null");
        return bandwidth(id(a), id(b), rate.bytesPerSecond());
    }

    /** Limits every peer link of {@code node} to {@code rate}, each way, per connection. */
    @SuppressWarnings("deprecation")
    public final Fault bandwidth(ZkNode node, Rate rate) {
        Objects.requireNonNull(rate, "rate must not be null");
        return bandwidth(id(node), rate.bytesPerSecond());
    }

    /** {@link #cutClients(int)} by handle. */
    public final Fault cutClients(ZkNode node) {
        return cutClients(id(node));
    }

    /** The id of {@code node}, checked to belong to this network's ensemble. */
    protected abstract int id(ZkNode node);

    /** The ids of every member now. */
    protected abstract Set<Integer> memberIds();

    // ---------------------------------------------------------------------------------------------- state

    /** The faults in force, oldest first. */
    public abstract List<Fault> faults();

    /** Heals every fault: a fully connected network. */
    public abstract void healAll();
}
