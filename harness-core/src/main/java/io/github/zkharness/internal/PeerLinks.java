package io.github.zkharness.internal;

import io.github.zkharness.internal.net.Direction;
import io.github.zkharness.internal.net.Link;
import io.github.zkharness.internal.net.LinkHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The links every connection of one ensemble passes through, and the faults that act on them.
 *
 * <p>There is one link per client port, and one per ordered pair of peers and kind of traffic (election,
 * learner-to-leader), opened the first time that pair dials. The peers' shared view keeps the real
 * addresses; only the dials are redirected (see {@link PeerWiring}).
 *
 * <p>Faults are kept as {@link Rule}s. A link's condition is always derived from every active rule (never
 * patched in place), so faults combine, healing one leaves the others, and a link opened later (a pair that
 * dials for the first time, a node added at runtime) gets the conditions in force at once.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PeerLinks implements AutoCloseable {

    /** Which traffic a peer link carries. */
    public enum Kind {
        ELECTION,
        QUORUM
    }

    /**
     * Identifies one peer link: {@code from} dialed {@code to}. Its {@code equals} and {@code hashCode} are written
     * out, as {@link Condition}'s {@code equals}: a record's generated ones build method handles the first time any
     * record is compared in a JVM (about 25 ms), which a first start would pay on its way.
     */
    public record Key(Kind kind, long from, long to) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && k.from == from && k.to == to;
        }

        @Override
        public int hashCode() {
            return (kind.hashCode() * 31 + Long.hashCode(from)) * 31 + Long.hashCode(to);
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + from + "->" + to;
        }
    }

    /** Stands for every node in a rule. */
    public static final long ANY = -1;

    /** One effect of a fault. Node ids may be {@link #ANY}. */
    public sealed interface Rule {}

    /** Peer connections between {@code a} and {@code b} are refused, and existing ones reset. */
    public record Refuse(long a, long b) implements Rule {}

    /** Bytes from {@code from} to {@code to} are held: not delivered, not lost, no reset. */
    public record Hold(long from, long to) implements Rule {}

    /** Every chunk between {@code a} and {@code b} is delayed by {@code base} plus up to {@code jitter}. */
    public record Latency(long a, long b, Duration base, Duration jitter) implements Rule {}

    /** Traffic between {@code a} and {@code b} is limited to {@code bytesPerSecond} per direction. */
    public record Bandwidth(long a, long b, long bytesPerSecond) implements Rule {}

    /** Client connections to {@code node} are refused, and existing ones reset. */
    public record ClientRefuse(long node) implements Rule {}

    /** Client connections to {@code node} are held in both directions. */
    public record ClientHold(long node) implements Rule {}

    /** What one link should do, derived from the rules. */
    private record Condition(
            boolean refuse,
            boolean holdForward,
            boolean holdBackward,
            Duration latency,
            Duration jitter,
            long bandwidth) {
        static final Condition CLEAR = new Condition(false, false, false, Duration.ZERO, Duration.ZERO, 0);

        @Override
        public boolean equals(Object o) {
            return o instanceof Condition c
                    && c.refuse == refuse
                    && c.holdForward == holdForward
                    && c.holdBackward == holdBackward
                    && c.latency.equals(latency)
                    && c.jitter.equals(jitter)
                    && c.bandwidth == bandwidth;
        }

        @Override
        public int hashCode() {
            return Objects.hash(refuse, holdForward, holdBackward, latency, jitter, bandwidth);
        }
    }

    private final LinkHub hub;
    private final Map<Key, Link> peerLinks = new ConcurrentHashMap<>();
    private final Map<Long, Link> clientLinks = new ConcurrentHashMap<>();
    private final Map<Link, Condition> applied = new ConcurrentHashMap<>();
    private final List<List<Rule>> ruleSets = new ArrayList<>();
    private volatile boolean closed;

    public PeerLinks(String name, ThreadGroup group) throws IOException {
        this.hub = new LinkHub(name, group);
    }

    // ------------------------------------------------------------------------------------------------ links

    /** The link clients of {@code id} use; opened on first call, pointed at {@code target}. */
    public Link clientLink(long id, InetSocketAddress target) {
        Link link = clientLinks.computeIfAbsent(id, k -> {
            Link l = open("client " + k, target);
            apply(l, clientCondition(k));
            return l;
        });
        if (!link.target().equals(target)) {
            link.target(target);
        }
        return link;
    }

    /** The client link of {@code id}, or null. */
    public Link clientLink(long id) {
        return clientLinks.get(id);
    }

    /**
     * Opens the links of {@code targets} that are not open yet, all in one hand-off to the links' thread; a start
     * calls it for every pair before the peers dial.
     */
    public synchronized void openPeerLinks(Map<Key, InetSocketAddress> targets) {
        Map<String, InetSocketAddress> missing = new LinkedHashMap<>();
        Map<String, Key> keys = new LinkedHashMap<>();
        targets.forEach((key, target) -> {
            if (!peerLinks.containsKey(key)) {
                missing.put(key.toString(), target);
                keys.put(key.toString(), key);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        List<Link> opened;
        try {
            opened = hub.openAll(missing);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the links " + missing.keySet(), e);
        }
        for (Link link : opened) {
            Key key = keys.get(link.name());
            peerLinks.put(key, link);
            apply(link, peerCondition(key.from(), key.to()));
        }
    }

    public Link peerLink(Key key, InetSocketAddress target) {
        Link link = peerLinks.computeIfAbsent(key, k -> {
            Link l = open(k.toString(), target);
            apply(l, peerCondition(k.from(), k.to()));
            return l;
        });
        if (!link.target().equals(target)) {
            link.target(target);
        }
        return link;
    }

    /** Every peer link opened so far, by key. */
    public Map<Key, Link> peerLinks() {
        return Map.copyOf(peerLinks);
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

    /** Whether a peer connection from {@code from} to {@code to} would be refused now. */
    public synchronized boolean refused(long from, long to) {
        return peerCondition(from, to).refuse();
    }

    /** Whether client connections to {@code node} are refused now (a {@code cutClients} fault in force). */
    public synchronized boolean clientsRefused(long node) {
        return clientCondition(node).refuse();
    }

    // ------------------------------------------------------------------------------------------------ faults

    /** Adds a set of rules (one fault) and applies the result to every link. */
    public synchronized void add(List<Rule> rules) {
        ruleSets.add(rules);
        reapply();
    }

    /** Removes a set of rules added with {@link #add}; removing it twice is harmless. */
    public synchronized void remove(List<Rule> rules) {
        ruleSets.removeIf(r -> r == rules);
        if (!closed) {
            reapply();
        }
    }

    /** Removes every rule: a fully connected network. */
    public synchronized void clear() {
        ruleSets.clear();
        if (!closed) {
            reapply();
        }
    }

    /**
     * Crashes a node as far as the wire can tell: no byte moves on any of its links while {@code shutdown}
     * runs (so ZooKeeper's orderly goodbyes never reach anyone), then every connection is reset, as the kernel
     * of a dead host's peers would see it. Faults in force stay in force.
     */
    public void crash(long id, Runnable shutdown) {
        List<Rule> hold = List.of(new Hold(id, ANY), new Hold(ANY, id), new ClientHold(id));
        add(hold);
        try {
            shutdown.run();
        } finally {
            for (Link l : touching(id)) {
                l.reset();
            }
            remove(hold);
        }
    }

    private void reapply() {
        peerLinks.forEach((k, l) -> apply(l, peerCondition(k.from(), k.to())));
        clientLinks.forEach((id, l) -> apply(l, clientCondition(id)));
    }

    private static boolean matches(long ruleNode, long node) {
        return ruleNode == ANY || ruleNode == node;
    }

    private static boolean between(long ra, long rb, long a, long b) {
        return (matches(ra, a) && matches(rb, b)) || (matches(ra, b) && matches(rb, a));
    }

    private synchronized Condition peerCondition(long from, long to) {
        boolean refuse = false;
        boolean holdForward = false;
        boolean holdBackward = false;
        Duration latency = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        long bandwidth = 0;
        for (List<Rule> set : ruleSets) {
            for (Rule rule : set) {
                if (rule instanceof Refuse r && between(r.a(), r.b(), from, to)) {
                    refuse = true;
                } else if (rule instanceof Hold h) {
                    holdForward |= matches(h.from(), from) && matches(h.to(), to);
                    holdBackward |= matches(h.from(), to) && matches(h.to(), from);
                } else if (rule instanceof Latency l
                        && between(l.a(), l.b(), from, to)
                        && l.base().plus(l.jitter()).compareTo(latency.plus(jitter)) > 0) {
                    latency = l.base();
                    jitter = l.jitter();
                } else if (rule instanceof Bandwidth b
                        && between(b.a(), b.b(), from, to)
                        && (bandwidth == 0 || b.bytesPerSecond() < bandwidth)) {
                    bandwidth = b.bytesPerSecond();
                }
            }
        }
        return new Condition(refuse, holdForward, holdBackward, latency, jitter, bandwidth);
    }

    private synchronized Condition clientCondition(long node) {
        boolean refuse = false;
        boolean hold = false;
        for (List<Rule> set : ruleSets) {
            for (Rule rule : set) {
                refuse |= rule instanceof ClientRefuse c && c.node() == node;
                hold |= rule instanceof ClientHold c && c.node() == node;
            }
        }
        return new Condition(refuse, hold, hold, Duration.ZERO, Duration.ZERO, 0);
    }

    private synchronized void apply(Link link, Condition wanted) {
        Condition now = applied.getOrDefault(link, Condition.CLEAR);
        if (now.equals(wanted)) {
            return;
        }
        if (now.refuse() != wanted.refuse()) {
            link.refuse(wanted.refuse());
        }
        if (now.holdForward() != wanted.holdForward()) {
            link.stall(Direction.FORWARD, wanted.holdForward());
        }
        if (now.holdBackward() != wanted.holdBackward()) {
            link.stall(Direction.BACKWARD, wanted.holdBackward());
        }
        if (!now.latency().equals(wanted.latency()) || !now.jitter().equals(wanted.jitter())) {
            link.latency(wanted.latency(), wanted.jitter());
        }
        if (now.bandwidth() != wanted.bandwidth()) {
            link.bandwidth(wanted.bandwidth());
        }
        applied.put(link, wanted);
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
        closed = true;
        hub.close();
    }
}
