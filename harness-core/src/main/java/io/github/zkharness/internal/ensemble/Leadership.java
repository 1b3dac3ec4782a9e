package io.github.zkharness.internal.ensemble;

import io.github.zkharness.NodeState;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.PeerWiring;
import java.time.Duration;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which voter leads: the builder's placement after a start or a reset, and a move to a chosen voter at runtime.
 *
 * <p>The mechanism is ZooKeeper's own election: every peer's election favours the preferred voter among
 * candidates with the same epoch and last zxid ({@code PreferredLeaderElection}, reading
 * {@link Cluster#preferredLeader()}). A move sets the preference, waits until the chosen voter follows the leader
 * with all its data, then restarts the leader (a real stop and start), so that the ensemble elects again: the others
 * first, among themselves, when they are a quorum without it (it may have logged proposals they have not); should
 * another voter win (the chosen one missed a write that was under way), it restarts that one, a bounded number of
 * times. Every public method holds the ensemble's lock, as node control does.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /** Elections a move may cause before it gives up: each one restarts the voter that won instead. */
    static final int MAX_ELECTIONS = 5;
    /** The low 32 bits of a zxid: the count of transactions within its epoch. */
    private static final long ZXID_COUNTER = 0xffff_ffffL;

    private final Cluster cluster;
    private final NodeControl control;

    Leadership(Cluster cluster, NodeControl control) {
        this.cluster = cluster;
        this.control = control;
    }

    /**
     * Makes {@code target} the leader and returns once it leads and every running node serves under it. From then
     * on the elections favour it among equally up-to-date voters, until the next move or reset; a move that fails
     * leaves the preference as it was.
     *
     * @throws IllegalArgumentException if {@code target} is not a voter of the configuration (an observer, a
     *     server outside the configuration)
     * @throws IllegalStateException if the ensemble does not run, {@code target} was removed or does not run, or
     *     too few voters run to elect anyone
     * @throws ZkTimeoutException if {@code target} does not lead within {@code timeout}, naming why (it does not
     *     follow the leader with all its data: cut off from a quorum, or lagging) and every node's state
     */
    public void move(NodeRuntime target, Duration timeout) {
        Await.requirePositive("timeout", timeout);
        synchronized (cluster) {
            cluster.requireRunning("move the leader");
            requireCandidate(target);
            long before = cluster.preferredLeader;
            cluster.preferredLeader = target.id();
            try {
                moveTo(target, timeout);
            } catch (RuntimeException e) {
                cluster.preferredLeader = before; // a move that failed leaves the elections as they were
                throw e;
            }
        }
    }

    /** After a start: the preference in force (the builder's, or the last move's) leads, if that voter runs. */
    void enforce(Duration timeout) {
        long preferred = cluster.preferredLeader;
        if (preferred == PeerWiring.NO_PREFERRED_LEADER) {
            return;
        }
        NodeRuntime target = cluster.member((int) preferred);
        // a voter that was removed, made an observer or stopped since: ZooKeeper's own order elects the others
        if (target != null
                && target.isVoter()
                && target.isConfigured()
                && target.state() == NodeState.RUNNING
                && cluster.findLeader().orElse(null) != target) {
            moveTo(target, timeout);
        }
    }

    /** After a reset: the builder's placement again, enforced; with ZooKeeper's own order, only the preference. */
    void restorePlacement(Duration timeout) {
        cluster.preferredLeader = cluster.config.preferredLeader();
        enforce(timeout);
    }

    private void requireCandidate(NodeRuntime target) {
        int id = target.id();
        if (target.state() == NodeState.REMOVED || cluster.member(id) != target) {
            throw new IllegalStateException("node " + id + " was removed from " + cluster.name()
                    + " and cannot lead; addVoter() brings a new voter");
        }
        if (!target.isConfigured()) {
            throw new IllegalArgumentException("node " + id + " is outside the configuration (it does not vote) and"
                    + " cannot lead; a reconfiguration must make it a voter first");
        }
        if (!target.isVoter()) {
            throw new IllegalArgumentException(
                    "node " + id + " is an observer: observers never vote and never lead;" + " makeVoter(node) first");
        }
        if (target.state() != NodeState.RUNNING) {
            throw new IllegalStateException(
                    "node " + id + " is " + target.state() + " and cannot lead; restart() it first");
        }
        if (!quorumRuns()) {
            long voters = cluster.members().stream()
                    .filter(n -> n.isVoter() && n.isConfigured())
                    .count();
            long running = cluster.members().stream()
                    .filter(n -> n.isVoter() && n.isConfigured() && n.state() == NodeState.RUNNING)
                    .count();
            throw new IllegalStateException("only " + running + " of " + voters + " voters run: no quorum can elect"
                    + " node " + id + "; restart() the others first. Nodes: " + cluster.describe());
        }
    }

    private void moveTo(NodeRuntime target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int elections = 0; ; elections++) {
            NodeRuntime leader = cluster.awaitLeader(left(deadline, timeout, "a leader before moving it"));
            if (leader == target) {
                cluster.await(
                        "node " + target.id() + " leading and every running node serving under it",
                        left(deadline, timeout, "every node serving under node " + target.id()),
                        () -> cluster.findLeader().orElse(null) == target && cluster.allRunningServe());
                return;
            }
            if (elections == MAX_ELECTIONS) {
                throw new ZkTimeoutException("node " + target.id() + " did not win any of " + MAX_ELECTIONS
                        + " elections (clients writing all the time keep it a write behind?); node " + leader.id()
                        + " leads; nodes: " + cluster.describe());
            }
            awaitCaughtUp(target, leader, deadline, timeout);
            LOG.info(
                    "{}: moving the leader to node {}: restarting leader {}", cluster.name(), target.id(), leader.id());
            control.stop(leader, NodeState.STOPPED);
            try {
                if (quorumRuns()) {
                    // the others elect among themselves first: the stopped leader may have logged proposals they
                    // have not, and would win again; restarted after, it follows whoever won
                    cluster.awaitLeader(left(deadline, timeout, "an election without leader " + leader.id()));
                }
            } finally {
                control.restart(leader); // whatever happened: no node is left down by a move
            }
        }
    }

    /** Whether more than half of the configuration's voters run. */
    private boolean quorumRuns() {
        long voters = 0;
        long running = 0;
        for (NodeRuntime node : cluster.members()) {
            if (node.isVoter() && node.isConfigured()) {
                voters++;
                if (node.state() == NodeState.RUNNING) {
                    running++;
                }
            }
        }
        return running > voters / 2;
    }

    /**
     * Waits until {@code target} serves, follows {@code leader} and has applied all that the leader has: only then
     * can it win the election that the leader's restart starts.
     */
    private void awaitCaughtUp(NodeRuntime target, NodeRuntime leader, long deadline, Duration timeout) {
        String what = "node " + target.id() + " to follow leader " + leader.id() + " with all its data (epoch and last"
                + " zxid) before leadership moves to it: a node cut off from a quorum, or one that lags, cannot win";
        cluster.await(what, left(deadline, timeout, what), () -> {
            PeerProcess p = target.process;
            if (target.state() != NodeState.RUNNING
                    || p == null
                    || !p.serving()
                    || p.leaderId() != leader.id()
                    || target.epoch() != leader.epoch()) {
                return false;
            }
            // the leader first: a target that has applied as much since is caught up, also under a steady write load
            long leaderZxid = leader.lastZxid();
            // a leader counts its new epoch's start (counter 0) as processed; its followers, synced at that start,
            // have all it has until it writes
            return target.lastZxid() >= leaderZxid || (leaderZxid & ZXID_COUNTER) == 0;
        });
    }

    /** What is left of the move's time, or a timeout naming what was awaited when nothing is. */
    private Duration left(long deadline, Duration timeout, String what) {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new ZkTimeoutException("Timed out after " + Await.format(timeout) + " waiting for " + what
                    + "; nodes: " + cluster.describe());
        }
        return Duration.ofNanos(nanos);
    }
}
