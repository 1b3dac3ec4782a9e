package io.github.zkharness.internal.ensemble;

import io.github.zkharness.Role;
import io.github.zkharness.internal.PeerLinks;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.PeerWiring;
import io.github.zkharness.internal.security.EnsembleSasl;
import io.github.zkharness.internal.security.EnsembleTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every peer's dial: through the link for that pair when links are on, straight to the peer otherwise.
 * ZooKeeper's threads call it (see {@link PeerWiring}).
 */
final class PeerDialer implements PeerWiring {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);
    /** The longest a learner's dial waits for its leader to bind: ZooKeeper's learner retry delay. */
    private static final long LEADER_BIND_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long after its start a peer that still elects is trusted to dial the other voters itself
     * ({@link #dialsSoon}): its election dials them at once, and again at each of its timeouts, which the harness
     * caps at 1 s ({@code JvmGlobals}' {@code maxNotificationInterval}). After that, or once it has a role, the other
     * peers dial it as ZooKeeper does.
     */
    private static final Duration FRESH_PEER = Duration.ofSeconds(1);

    private final Cluster cluster;

    PeerDialer(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Map<String, String> quorumTls(long sid) {
        EnsembleTls tls = cluster.tls;
        return tls == null ? Map.of() : tls.quorumProperties(sid);
    }

    @Override
    public Map<String, String> quorumSasl(long sid) {
        EnsembleSasl sasl = cluster.sasl;
        return sasl == null ? Map.of() : sasl.quorumSections(sid);
    }

    @Override
    public InetSocketAddress electionDial(long from, long to, InetSocketAddress requested) {
        NodeRuntime target = cluster.member((int) to);
        if (target == null || target.electionPort == 0) {
            return requested;
        }
        InetSocketAddress real = new InetSocketAddress(Cluster.loopback(), target.electionPort);
        PeerLinks links = cluster.links;
        if (links == null) {
            return real;
        }
        PeerProcess p = target.process;
        // a peer whose start has not returned yet is about to listen (or listens): its link connects as soon as it
        // does, where a refusal would make the dialer wait for its election's next round
        if (p == null || !(p.running() || p.starting()) || links.refused(from, to)) {
            return null;
        }
        return links.peerLink(new PeerLinks.Key(PeerLinks.Kind.ELECTION, from, to), real)
                .listenAddress();
    }

    /**
     * Opens the link of every ordered pair of members and kind of traffic now, before the peers start, so that no
     * dial of the election waits for its link to be opened on the links' thread.
     */
    void openLinks() {
        PeerLinks links = cluster.links;
        if (links == null) {
            return;
        }
        Map<PeerLinks.Key, InetSocketAddress> targets = new LinkedHashMap<>();
        for (NodeRuntime from : cluster.members()) {
            for (NodeRuntime to : cluster.members()) {
                if (from == to) {
                    continue;
                }
                targets.put(
                        new PeerLinks.Key(PeerLinks.Kind.ELECTION, from.id(), to.id()),
                        new InetSocketAddress(Cluster.loopback(), to.electionPort));
                if (to.isVoter()) {
                    targets.put(
                            new PeerLinks.Key(PeerLinks.Kind.QUORUM, from.id(), to.id()),
                            new InetSocketAddress(Cluster.loopback(), to.quorumPort));
                }
            }
        }
        links.openPeerLinks(targets);
    }

    @Override
    public boolean dialsSoon(long from, long to) {
        NodeRuntime dialer = cluster.member((int) from);
        NodeRuntime target = cluster.member((int) to);
        // as last followed: this runs in ZooKeeper's connection code, under the peer's locks
        if (dialer == null || target == null || !dialer.voterAsFollowed() || !target.voterAsFollowed()) {
            return false;
        }
        PeerProcess p = dialer.process;
        Instant started = p == null ? null : p.startedAt();
        if (started == null
                || Duration.between(started, Instant.now()).compareTo(FRESH_PEER) > 0
                || !(p.starting() || (p.running() && p.role() == Role.LOOKING))) {
            return false;
        }
        PeerLinks links = cluster.links;
        return links == null || !links.refused(from, to);
    }

    @Override
    public InetSocketAddress quorumDial(long from, InetSocketAddress leader) throws IOException {
        NodeRuntime target = null;
        for (NodeRuntime n : cluster.members()) {
            if (n.quorumPort == leader.getPort()) {
                target = n;
            }
        }
        PeerProcess p = target == null ? null : target.process;
        if (p != null) {
            awaitListening(p);
        }
        PeerLinks links = cluster.links;
        if (target == null || links == null) {
            return leader;
        }
        if (p == null || !p.listensAsLeader()) {
            throw new ConnectException("Connection refused: node " + target.id() + " does not listen as leader");
        }
        if (links.refused(from, target.id())) {
            throw new ConnectException("Connection refused: a fault refuses " + from + "->" + target.id());
        }
        InetSocketAddress real = new InetSocketAddress(Cluster.loopback(), target.quorumPort);
        return links.peerLink(new PeerLinks.Key(PeerLinks.Kind.QUORUM, from, target.id()), real)
                .listenAddress();
    }

    /**
     * Waits (at most {@link #LEADER_BIND_WAIT_NANOS}) while {@code leader} runs and is still electing or has just
     * become leader but not bound its quorum port yet. A learner that finished its election a moment before the
     * leader would otherwise be refused and sleep ZooKeeper's fixed retry delay
     * ({@code Learner.leaderConnectDelayDuringRetryMs}, 100 ms) before dialing again; this wait ends as soon as
     * the port is bound, and is never longer than that retry. A node that follows, observes or is down is refused
     * at once, as before.
     */
    private static void awaitListening(PeerProcess leader) {
        long deadline = System.nanoTime() + LEADER_BIND_WAIT_NANOS;
        while (!leader.listensAsLeader() && System.nanoTime() - deadline < 0) {
            Role role = leader.role();
            if (role != Role.LOOKING && role != Role.READ_ONLY && role != Role.LEADER) {
                return;
            }
            LockSupport.parkNanos(200_000);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    @Override
    public void bindFailed(long sid, String which, Throwable cause) {
        NodeRuntime node = cluster.member((int) sid);
        if (node == null) {
            return;
        }
        int port = which.equals("election") ? node.electionPort : node.quorumPort;
        String message =
                "node " + sid + " could not bind its " + which + " port " + port + " (taken by another process)";
        node.portConflict = message;
        cluster.problems.add(message);
        LOG.warn("{}: {}", cluster.name(), message, cause);
    }

    @Override
    public long preferredLeader() {
        return cluster.preferredLeader;
    }

    @Override
    public boolean reconfigEnabled() {
        return true; // per peer (the harness never sets ZooKeeper's JVM-wide switch): add/remove at runtime
    }
}
