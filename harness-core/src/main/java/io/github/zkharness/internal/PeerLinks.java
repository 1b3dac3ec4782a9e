package io.github.zkharness.internal;

import io.github.zkharness.internal.net.Direction;
import io.github.zkharness.internal.net.Link;
import io.github.zkharness.internal.net.LinkHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The links every connection of one ensemble passes through: one per client port, and one per ordered pair of
 * peers and kind of traffic (election, learner-to-leader), opened the first time that pair dials. The peers'
 * shared view keeps the real addresses; only the dials are redirected (see {@link PeerWiring}).
 */
public final class PeerLinks implements AutoCloseable {

    /** Which traffic a peer link carries. */
    public enum Kind {
        ELECTION, QUORUM
    }

    /** Identifies one peer link: {@code from} dialed {@code to}. */
    public record Key(Kind kind, long from, long to) {
        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + from + "->" + to;
        }
    }

    private final LinkHub hub;
    private final Map<Key, Link> peerLinks = new ConcurrentHashMap<>();
    private final Map<Long, Link> clientLinks = new ConcurrentHashMap<>();

    public PeerLinks(String name, ThreadGroup group) throws IOException {
        this.hub = new LinkHub(name, group);
    }

    /** The link clients of {@code id} use; opened on first call, pointed at {@code target}. */
    public Link clientLink(long id, InetSocketAddress target) {
        Link link = clientLinks.computeIfAbsent(id, k -> open("client " + k, target));
        if (!link.target().equals(target)) {
            link.target(target);
        }
        return link;
    }

    /** The client link of {@code id}, or null. */
    public Link clientLink(long id) {
        return clientLinks.get(id);
    }

    /** The link for {@code key}, opened on first use towards {@code target}. */
    public Link peerLink(Key key, InetSocketAddress target) {
        Link link = peerLinks.computeIfAbsent(key, k -> open(k.toString(), target));
        if (!link.target().equals(target)) {
            link.target(target);
        }
        return link;
    }

    /** Every link with {@code id} at either end, client link included. */
    public List<Link> touching(long id) {
        List<Link> links = new ArrayList<>();
        peerLinks.forEach((k, l) -> {
            if (k.from() == id || k.to() == id) {
                links.add(l);
            }
        });
        Link client = clientLinks.get(id);
        if (client != null) {
            links.add(client);
        }
        return links;
    }

    /**
     * Crashes a node as far as the wire can tell: no byte moves on any of its links while {@code shutdown}
     * runs (so ZooKeeper's orderly goodbyes never reach anyone), then every connection is reset, as the kernel
     * of a dead host's peers would see it.
     */
    public void crash(long id, Runnable shutdown) {
        List<Link> links = touching(id);
        try {
            for (Link l : links) {
                l.stall(Direction.FORWARD, true);
                l.stall(Direction.BACKWARD, true);
            }
            shutdown.run();
        } finally {
            for (Link l : links) {
                l.reset();
                l.stall(Direction.FORWARD, false);
                l.stall(Direction.BACKWARD, false);
            }
        }
    }

    private Link open(String name, InetSocketAddress target) {
        try {
            return hub.open(name, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open link " + name, e);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
