package io.github.zkharness.internal.ensemble;

import io.github.zkharness.internal.PeerLinks;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.PeerWiring;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every peer's dial: through the link for that pair when links are on, straight to the peer otherwise.
 * ZooKeeper's threads call it (see {@link PeerWiring}).
 */
final class PeerDialer implements PeerWiring {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);

    private final Cluster cluster;

    PeerDialer(Cluster cluster) {
        this.cluster = cluster;
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
        if (p == null || !p.running() || links.refused(from, to)) {
            return null;
        }
        return links.peerLink(new PeerLinks.Key(PeerLinks.Kind.ELECTION, from, to), real).listenAddress();
    }

    @Override
    public InetSocketAddress quorumDial(long from, InetSocketAddress leader) throws IOException {
        NodeRuntime target = null;
        for (NodeRuntime n : cluster.members()) {
            if (n.quorumPort == leader.getPort()) {
                target = n;
            }
        }
        PeerLinks links = cluster.links;
        if (target == null || links == null) {
            return leader;
        }
        PeerProcess p = target.process;
        if (p == null || !p.listensAsLeader()) {
            throw new ConnectException("Connection refused: node " + target.id() + " does not listen as leader");
        }
        if (links.refused(from, target.id())) {
            throw new ConnectException("Connection refused: a fault refuses " + from + "->" + target.id());
        }
        InetSocketAddress real = new InetSocketAddress(Cluster.loopback(), target.quorumPort);
        return links.peerLink(new PeerLinks.Key(PeerLinks.Kind.QUORUM, from, target.id()), real).listenAddress();
    }

    @Override
    public void bindFailed(long sid, String which, Throwable cause) {
        NodeRuntime node = cluster.member((int) sid);
        if (node == null) {
            return;
        }
        int port = which.equals("election") ? node.electionPort : node.quorumPort;
        String message = "node " + sid + " could not bind its " + which + " port " + port
                + " (taken by another process)";
        node.portConflict = message;
        cluster.problems.add(message);
        LOG.warn("{}: {}", cluster.name(), message, cause);
    }

    @Override
    public boolean reconfigEnabled() {
        return true; // per peer (the harness never sets ZooKeeper's JVM-wide switch): add/remove at runtime
    }
}
