package io.github.zkharness.network;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Breaks an ensemble's network on purpose. Get it from {@code ZkEnsemble.network()}.
 *
 * <p>Every connection between two peers (leader election and leader/learner traffic) and from clients to
 * servers passes through a loopback link the harness controls. Each method here adds a {@link Fault} and
 * returns its handle; {@link #faults()} lists those in force and {@link #healAll()} leaves a fully connected
 * network. Two kinds of breakage, as a firewall would do them:
 * <ul>
 *   <li><b>refused</b> ({@link #partition}, {@link #isolate}, {@link #reset}, {@link #cutClients}): existing
 *       connections are reset and new ones refused, so both sides notice at once;</li>
 *   <li><b>held</b> ({@link #cut}, {@link #freeze}, {@link #stall}): bytes stop moving with no reset, so the
 *       other side notices only through ZooKeeper's own timeouts ({@code syncLimit} ticks); when healed, the
 *       held bytes are delivered in order, as TCP would after the network recovers.</li>
 * </ul>
 *
 * <p>Node ids are the ensemble's ids; an unknown id is an {@link IllegalArgumentException} naming the ids there
 * are. Faults on an ensemble built with {@code links(false)} throw {@link IllegalStateException}.
 */
public abstract class ZkNetwork {

    /** For the harness's own implementation. */
    protected ZkNetwork() {
    }

    /**
     * Splits the ensemble into groups that cannot reach each other; inside a group, peers talk as before.
     * Every node must be in exactly one group, e.g. {@code partition(Set.of(1, 2), Set.of(3))}.
     *
     * @throws IllegalArgumentException for fewer than two groups, an empty group, an unknown id, a node in
     *     two groups or a node in none
     */
    @SafeVarargs
    public final Fault partition(Set<Integer>... groups) {
        java.util.Objects.requireNonNull(groups, "groups must not be null");
        for (Set<Integer> group : groups) {
            java.util.Objects.requireNonNull(group, "a partition group must not be null");
        }
        return partition(java.util.Arrays.asList(groups));
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
     */
    public abstract Fault bandwidth(int a, int b, long bytesPerSecond);

    /** Limits every peer link of node {@code id}; see {@link #bandwidth(int, int, long)}. */
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
     */
    public abstract void dropClientConnection(long sessionId);

    /**
     * Expires session {@code sessionId} for real, on the server side, as its timeout would: the leader closes
     * it, its ephemeral nodes are deleted, watchers fire, and its client learns of the expiry when it next
     * talks to a server. (ZooKeeper's client-side {@code injectSessionExpiration()} only fools the client.)
     *
     * @throws IllegalArgumentException if the leader does not know that session
     * @throws IllegalStateException if no node leads now
     */
    public abstract void expireSession(long sessionId);

    /** The faults in force, oldest first. */
    public abstract List<Fault> faults();

    /** Heals every fault: a fully connected network. */
    public abstract void healAll();
}
