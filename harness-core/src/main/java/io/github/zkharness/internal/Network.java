package io.github.zkharness.internal;

import io.github.zkharness.Fault;
import io.github.zkharness.internal.PeerLinks.Bandwidth;
import io.github.zkharness.internal.PeerLinks.ClientHold;
import io.github.zkharness.internal.PeerLinks.ClientRefuse;
import io.github.zkharness.internal.PeerLinks.Hold;
import io.github.zkharness.internal.PeerLinks.Latency;
import io.github.zkharness.internal.PeerLinks.Refuse;
import io.github.zkharness.internal.PeerLinks.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apiguardian.api.API;

/**
 * What {@link io.github.zkharness.ZkNetwork} delegates to, by node id: turns each fault into rules for
 * {@link PeerLinks}, and acts on sessions for {@code ZkEnsemble}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Network {

    private final EnsembleAccess ensemble;
    private final List<FaultHandle> active = new CopyOnWriteArrayList<>();

    public Network(EnsembleAccess ensemble) {
        this.ensemble = ensemble;
    }

    public Fault partition(List<Set<Integer>> groups) {
        Objects.requireNonNull(groups, "groups must not be null");
        Set<Integer> ids = ensemble.nodeIds();
        if (groups.size() < 2) {
            throw new IllegalArgumentException(
                    "a partition needs at least two groups, got " + groups.size() + ": " + groups);
        }
        Map<Integer, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            Set<Integer> group = Objects.requireNonNull(groups.get(g), "a partition group must not be null");
            if (group.isEmpty()) {
                throw new IllegalArgumentException("partition group " + (g + 1) + " is empty: " + groups);
            }
            for (Integer id : group) {
                Objects.requireNonNull(id, "a node id in a partition group must not be null");
                requireNode(id);
                Integer before = groupOf.put(id, g);
                if (before != null) {
                    throw new IllegalArgumentException("node " + id + " is in two partition groups: " + groups);
                }
            }
        }
        Set<Integer> missing = new TreeSet<>(ids);
        missing.removeAll(groupOf.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("nodes " + missing + " are in no partition group: name every node " + ids
                    + " in exactly one group");
        }
        List<Rule> rules = new ArrayList<>();
        for (int a : ids) {
            for (int b : ids) {
                if (a < b && !groupOf.get(a).equals(groupOf.get(b))) {
                    rules.add(new Refuse(a, b));
                }
            }
        }
        String description = "partition "
                + groups.stream()
                        .map(g -> new TreeSet<>(g).stream().map(String::valueOf).collect(Collectors.joining(",")))
                        .collect(Collectors.joining("|"));
        return add(description, rules);
    }

    public Fault isolate(int id) {
        requireNode(id);
        return add("isolate node " + id, List.of(new Refuse(id, PeerLinks.ANY)));
    }

    public Fault isolateLeader() {
        ensemble.requireOpen();
        int leader = ensemble.leaderId()
                .orElseThrow(() -> new IllegalStateException(
                        "no node of " + ensemble.name() + " leads now, so there is no leader to isolate"));
        return add("isolate node " + leader + " (leader)", List.of(new Refuse(leader, PeerLinks.ANY)));
    }

    public Fault cut(int from, int to) {
        requirePair(from, to);
        return add("cut " + from + "->" + to, List.of(new Hold(from, to)));
    }

    public Fault freeze(int id) {
        requireNode(id);
        return add(
                "freeze node " + id,
                List.of(new Hold(id, PeerLinks.ANY), new Hold(PeerLinks.ANY, id), new ClientHold(id)));
    }

    public Fault stall(int a, int b) {
        requirePair(a, b);
        return add("stall " + a + "<->" + b, List.of(new Hold(a, b), new Hold(b, a)));
    }

    public Fault disconnect(int a, int b) {
        requirePair(a, b);
        return add("disconnect " + a + "<->" + b, List.of(new Refuse(a, b)));
    }

    public Fault latency(int a, int b, Duration base, Duration jitter) {
        requirePair(a, b);
        requireNonNegative(base, jitter);
        return add(
                "latency " + a + "<->" + b + " " + base.toMillis() + " ms" + jitterText(jitter),
                List.of(new Latency(a, b, base, jitter)));
    }

    public Fault latency(int id, Duration base, Duration jitter) {
        requireNode(id);
        requireNonNegative(base, jitter);
        return add(
                "latency around node " + id + " " + base.toMillis() + " ms" + jitterText(jitter),
                List.of(new Latency(id, PeerLinks.ANY, base, jitter)));
    }

    public Fault bandwidth(int a, int b, long bytesPerSecond) {
        requirePair(a, b);
        requirePositiveBandwidth(bytesPerSecond);
        return add(
                "bandwidth " + a + "<->" + b + " " + bytesPerSecond + " B/s",
                List.of(new Bandwidth(a, b, bytesPerSecond)));
    }

    public Fault bandwidth(int id, long bytesPerSecond) {
        requireNode(id);
        requirePositiveBandwidth(bytesPerSecond);
        return add(
                "bandwidth around node " + id + " " + bytesPerSecond + " B/s",
                List.of(new Bandwidth(id, PeerLinks.ANY, bytesPerSecond)));
    }

    private static void requirePositiveBandwidth(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "bandwidth must be a positive number of bytes per second, got " + bytesPerSecond);
        }
    }

    public Fault cutClients(int id) {
        requireNode(id);
        return add("cut clients of node " + id, List.of(new ClientRefuse(id)));
    }

    public void dropClientConnection(long sessionId) {
        ensemble.requireOpen();
        for (int id : ensemble.nodeIds()) {
            ZooKeeperServer server = ensemble.server(id);
            ServerCnxnFactory factory = server == null ? null : ServerHousekeeping.clientFactory(server);
            if (factory == null) {
                continue;
            }
            for (ServerCnxn cnxn : factory.getConnections()) {
                if (cnxn.getSessionId() == sessionId) {
                    FaultRecorder.Band band =
                            ensemble.faultRecorder().begin("drop the connection of session " + hex(sessionId));
                    cnxn.close(ServerCnxn.DisconnectReason.CONNECTION_CLOSE_FORCED);
                    band.endNow(() -> isConnected(sessionId)); // the client reconnected, with its session
                    return;
                }
            }
        }
        throw new IllegalArgumentException("no running server of " + ensemble.name()
                + " holds a connection for session 0x" + Long.toHexString(sessionId));
    }

    public void expireSession(long sessionId) {
        ensemble.requireOpen();
        int leader = ensemble.leaderId()
                .orElseThrow(() -> new IllegalStateException(
                        "no node of " + ensemble.name() + " leads now; only the leader can expire a session"));
        ZooKeeperServer server = ensemble.server(leader);
        if (server == null
                || server.getSessionTracker() == null
                || !server.getSessionTracker().isTrackingSession(sessionId)) {
            throw new IllegalArgumentException(
                    "the leader (node " + leader + ") knows no session 0x" + Long.toHexString(sessionId));
        }
        FaultRecorder.Band band = ensemble.faultRecorder().begin("expire session " + hex(sessionId));
        server.expire(sessionId);
        // the effect ends once no server holds a connection of the session: the client has been cut off and hears
        // of the expiry when it next talks to a server
        band.endNow(() -> !isConnected(sessionId));
    }

    /** Whether a running server holds a connection of session {@code sessionId} now. */
    private boolean isConnected(long sessionId) {
        for (int id : ensemble.nodeIds()) {
            ZooKeeperServer server = ensemble.server(id);
            ServerCnxnFactory factory = server == null ? null : ServerHousekeeping.clientFactory(server);
            if (factory == null) {
                continue;
            }
            for (ServerCnxn cnxn : factory.getConnections()) {
                if (cnxn.getSessionId() == sessionId) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String hex(long sessionId) {
        return "0x" + Long.toHexString(sessionId);
    }

    public List<Fault> faults() {
        return List.copyOf(active);
    }

    public void healAll() {
        PeerLinks links = ensemble.links();
        List<FaultHandle> healed = new ArrayList<>();
        for (FaultHandle f : active) {
            if (f.markHealed()) {
                healed.add(f);
            }
        }
        active.clear();
        if (links != null) {
            links.clear();
        }
        healed.forEach(FaultHandle::recordHealed);
    }

    private Fault add(String description, List<Rule> rules) {
        ensemble.requireStarted();
        PeerLinks links = ensemble.links();
        if (links == null) {
            throw new IllegalStateException("ensemble " + ensemble.name() + " runs without links (links(false)),"
                    + " so it cannot " + description);
        }
        FaultHandle fault = new FaultHandle(description, List.copyOf(rules), links);
        active.add(fault);
        try {
            links.add(fault.rules);
        } catch (RuntimeException e) {
            // a link refused the condition (e.g. a latency too large for its timers): leave nothing behind
            active.remove(fault);
            links.remove(fault.rules);
            throw e;
        }
        return ensemble.faultRecorder().track(fault);
    }

    /** The name of the ensemble, for messages. */
    public String ensembleName() {
        return ensemble.name();
    }

    /** Throws an {@link IllegalArgumentException} naming the ids there are unless {@code id} is a member now. */
    public void requireMember(int id) {
        requireNode(id);
    }

    /** The ids of every member now. */
    public Set<Integer> memberIds() {
        return ensemble.nodeIds();
    }

    private void requireNode(int id) {
        ensemble.requireOpen();
        if (!ensemble.nodeIds().contains(id)) {
            throw new IllegalArgumentException(
                    "no node with id " + id + " in " + ensemble.name() + "; ids are " + ensemble.nodeIds());
        }
    }

    private void requirePair(int a, int b) {
        requireNode(a);
        requireNode(b);
        if (a == b) {
            throw new IllegalArgumentException("a link joins two different nodes, got " + a + " and " + b);
        }
    }

    private static void requireNonNegative(Duration base, Duration jitter) {
        Objects.requireNonNull(base, "latency must not be null");
        Objects.requireNonNull(jitter, "jitter must not be null");
        if (base.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + base);
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative, got " + jitter);
        }
    }

    private static String jitterText(Duration jitter) {
        return jitter.isZero() ? "" : " +" + jitter.toMillis() + " ms jitter";
    }

    /** One fault in force. */
    private final class FaultHandle extends HealOnceFault {
        private final List<Rule> rules;
        private final PeerLinks links;

        FaultHandle(String description, List<Rule> rules, PeerLinks links) {
            super(description);
            this.rules = rules;
            this.links = links;
        }

        @Override
        protected void undo() {
            Network.this.active.remove(this);
            links.remove(rules);
        }
    }
}
