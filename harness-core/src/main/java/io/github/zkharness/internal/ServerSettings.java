package io.github.zkharness.internal;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * The per-server settings of ZooKeeper's configuration that a harness peer honours, beyond the timing and
 * membership the builder names. Keys are spelled as in {@code zoo.cfg}; defaults are ZooKeeper's own (what
 * {@code QuorumPeerConfig} gives a server whose {@code zoo.cfg} does not name the key), except
 * {@code maxClientCnxns}.
 *
 * @param maxClientCnxns              connections one IP may open to one server; 0 = unlimited (the harness
 *                                    default: every test client comes from 127.0.0.1)
 * @param clientPortListenBacklog     the client port's accept backlog; -1 = the OS default
 * @param localSessionsEnabled        {@code localSessionsEnabled}
 * @param localSessionsUpgradingEnabled {@code localSessionsUpgradingEnabled}
 * @param syncEnabled                 {@code syncEnabled}: observers log transactions to disk
 * @param connectToLearnerMasterLimit {@code connectToLearnerMasterLimit} in ticks; 0 = use initLimit
 * @param quorumCnxnThreadsSize       {@code quorum.cnxn.threads.size}
 * @param multiAddressEnabled         {@code multiAddress.enabled}: ZooKeeper's default is false (or the system
 *                                    property {@code zookeeper.multiAddress.enabled}); with it on, ZooKeeper
 *                                    speaks election protocol 2 and runs reachability checks
 * @param multiAddressReachabilityCheckEnabled {@code multiAddress.reachabilityCheckEnabled}; acts only with
 *                                    multi-address on
 * @param multiAddressReachabilityCheckTimeoutMs {@code multiAddress.reachabilityCheckTimeoutMs}
 * @param snapshotSizeFactor          {@code snapshotSizeFactor}: how much of its transaction log a leader may send
 *                                    a lagging learner instead of a snapshot; negative turns that off (empty:
 *                                    ZooKeeper's own default, 0.33 or the system property
 *                                    {@code zookeeper.snapshotSizeFactor}). ZooKeeper reads it per database, so
 *                                    the harness sets it per server
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ServerSettings(
        int maxClientCnxns,
        int clientPortListenBacklog,
        boolean localSessionsEnabled,
        boolean localSessionsUpgradingEnabled,
        boolean syncEnabled,
        int connectToLearnerMasterLimit,
        int quorumCnxnThreadsSize,
        boolean multiAddressEnabled,
        boolean multiAddressReachabilityCheckEnabled,
        int multiAddressReachabilityCheckTimeoutMs,
        OptionalDouble snapshotSizeFactor) {

    /** ZooKeeper's system property behind {@code multiAddress.enabled}'s default. */
    static final String MULTI_ADDRESS_ENABLED_PROPERTY = "zookeeper.multiAddress.enabled";
    /** ZooKeeper's system property behind {@code multiAddress.reachabilityCheckEnabled}'s default. */
    static final String REACHABILITY_CHECK_ENABLED_PROPERTY = "zookeeper.multiAddress.reachabilityCheckEnabled";
    /** ZooKeeper's system property behind {@code multiAddress.reachabilityCheckTimeoutMs}'s default. */
    static final String REACHABILITY_CHECK_TIMEOUT_PROPERTY = "zookeeper.multiAddress.reachabilityCheckTimeoutMs";

    /** The keys {@link #from} accepts. */
    public static final Set<String> KEYS = Set.of(
            "maxClientCnxns",
            "clientPortListenBacklog",
            "localSessionsEnabled",
            "localSessionsUpgradingEnabled",
            "syncEnabled",
            "connectToLearnerMasterLimit",
            "quorum.cnxn.threads.size",
            "multiAddress.enabled",
            "multiAddress.reachabilityCheckEnabled",
            "multiAddress.reachabilityCheckTimeoutMs",
            "snapshotSizeFactor");

    /** Keys that ZooKeeper reads JVM-wide or that this harness sets itself, with what to use instead. */
    private static final Map<String, String> NOT_PER_SERVER = new TreeMap<>(Map.ofEntries(
            Map.entry("tickTime", "use the builder's tickTime(Duration)"),
            Map.entry("initLimit", "use the builder's initLimit(int)"),
            Map.entry("syncLimit", "use the builder's syncLimit(int)"),
            Map.entry("minSessionTimeout", "use the builder's sessionTimeouts(min, max)"),
            Map.entry("maxSessionTimeout", "use the builder's sessionTimeouts(min, max)"),
            Map.entry("dataDir", "use the builder's baseDirectory(Path)"),
            Map.entry("dataLogDir", "use the builder's separateDataLogDir(true)"),
            Map.entry("clientPort", "the harness picks loopback ports itself"),
            Map.entry("clientPortAddress", "the harness binds loopback only"),
            Map.entry("secureClientPort", "use the builder's tls(true): the client ports then take TLS clients"),
            Map.entry("quorumListenOnAllIPs", "the harness binds loopback only"),
            Map.entry(
                    "observerMasterPort", "it binds the same port on every follower of one host, unusable on loopback"),
            Map.entry("electionAlg", "ZooKeeper supports only algorithm 3, which the harness uses"),
            Map.entry("peerType", "use the builder's observers(int)"),
            Map.entry("sslQuorum", "use the builder's tls(true): each peer then gets TLS settings of its own"),
            Map.entry("portUnification", "use the builder's tls(true) with plainClientPort(true)"),
            Map.entry("quorum.auth.enableSasl", "use the builder's quorumSasl(true)"),
            Map.entry("quorum.auth.serverRequireSasl", "use the builder's quorumSasl(true)"),
            Map.entry("quorum.auth.learnerRequireSasl", "use the builder's quorumSasl(true)"),
            Map.entry("jvm.pause.monitor", "not supported: every peer shares one JVM, so a pause shows on all of them"),
            Map.entry("4lw.commands.whitelist", "use the builder's fourLetterWords(...)"),
            Map.entry("snapCount", "ZooKeeper reads it JVM-wide: set the system property zookeeper.snapCount"),
            Map.entry("preAllocSize", "ZooKeeper reads it JVM-wide: set the system property zookeeper.preAllocSize"),
            Map.entry("skipACL", "ZooKeeper reads it JVM-wide: set the system property zookeeper.skipACL"),
            Map.entry("jute.maxbuffer", "ZooKeeper reads it JVM-wide: set the system property jute.maxbuffer"),
            Map.entry("admin.enableServer", "the harness never starts ZooKeeper's admin server"),
            Map.entry("standaloneEnabled", "a harness ensemble always runs its peers as a quorum"),
            Map.entry(
                    "reconfigEnabled",
                    "reconfiguration is always on in a harness ensemble (per peer, never JVM-wide): membership"
                            + " changes and servers outside the configuration rely on it")));

    /**
     * ZooKeeper's defaults (the multi-address ones as this JVM's system properties make them, as in
     * {@code QuorumPeerConfig}), except {@code maxClientCnxns} (unlimited, see above).
     */
    public static ServerSettings defaults() {
        return new ServerSettings(
                0,
                -1,
                false,
                false,
                true,
                0,
                20,
                Boolean.parseBoolean(System.getProperty(MULTI_ADDRESS_ENABLED_PROPERTY, "false")),
                Boolean.parseBoolean(System.getProperty(REACHABILITY_CHECK_ENABLED_PROPERTY, "true")),
                Integer.getInteger(REACHABILITY_CHECK_TIMEOUT_PROPERTY, 1000),
                OptionalDouble.empty());
    }

    /**
     * Applies {@code values} on top of {@link #defaults()}.
     *
     * @throws IllegalArgumentException naming the key or value and what is allowed
     */
    public static ServerSettings from(Map<String, String> values) {
        Draft d = new Draft(defaults());
        for (Map.Entry<String, String> e : values.entrySet()) {
            d.set(e.getKey(), e.getValue());
        }
        return d.build();
    }

    /** Checks one key and value without keeping them. */
    public static void check(String key, String value) {
        new Draft(defaults()).set(key, value);
    }

    /** A mutable copy: one assignment per key instead of ten-argument constructor calls. */
    private static final class Draft {
        int maxClientCnxns;
        int clientPortListenBacklog;
        boolean localSessionsEnabled;
        boolean localSessionsUpgradingEnabled;
        boolean syncEnabled;
        int connectToLearnerMasterLimit;
        int quorumCnxnThreadsSize;
        boolean multiAddressEnabled;
        boolean reachabilityCheckEnabled;
        int reachabilityCheckTimeoutMs;
        OptionalDouble snapshotSizeFactor;

        Draft(ServerSettings s) {
            maxClientCnxns = s.maxClientCnxns;
            clientPortListenBacklog = s.clientPortListenBacklog;
            localSessionsEnabled = s.localSessionsEnabled;
            localSessionsUpgradingEnabled = s.localSessionsUpgradingEnabled;
            syncEnabled = s.syncEnabled;
            connectToLearnerMasterLimit = s.connectToLearnerMasterLimit;
            quorumCnxnThreadsSize = s.quorumCnxnThreadsSize;
            multiAddressEnabled = s.multiAddressEnabled;
            reachabilityCheckEnabled = s.multiAddressReachabilityCheckEnabled;
            reachabilityCheckTimeoutMs = s.multiAddressReachabilityCheckTimeoutMs;
            snapshotSizeFactor = s.snapshotSizeFactor;
        }

        void set(String key, String value) {
            if (key == null || value == null) {
                throw new IllegalArgumentException(
                        "server setting key and value must not be null, got " + key + "=" + value);
            }
            switch (key) {
                case "maxClientCnxns" -> maxClientCnxns = integer(key, value, 0);
                case "clientPortListenBacklog" -> clientPortListenBacklog = integer(key, value, -1);
                case "localSessionsEnabled" -> localSessionsEnabled = bool(key, value);
                case "localSessionsUpgradingEnabled" -> localSessionsUpgradingEnabled = bool(key, value);
                case "syncEnabled" -> syncEnabled = bool(key, value);
                case "connectToLearnerMasterLimit" -> connectToLearnerMasterLimit = integer(key, value, 0);
                case "quorum.cnxn.threads.size" -> quorumCnxnThreadsSize = integer(key, value, 1);
                case "multiAddress.enabled" -> multiAddressEnabled = bool(key, value);
                case "multiAddress.reachabilityCheckEnabled" -> reachabilityCheckEnabled = bool(key, value);
                case "multiAddress.reachabilityCheckTimeoutMs" -> reachabilityCheckTimeoutMs = integer(key, value, 1);
                case "snapshotSizeFactor" -> snapshotSizeFactor = OptionalDouble.of(factor(key, value));
                default -> throw unknown(key);
            }
        }

        ServerSettings build() {
            return new ServerSettings(
                    maxClientCnxns,
                    clientPortListenBacklog,
                    localSessionsEnabled,
                    localSessionsUpgradingEnabled,
                    syncEnabled,
                    connectToLearnerMasterLimit,
                    quorumCnxnThreadsSize,
                    multiAddressEnabled,
                    reachabilityCheckEnabled,
                    reachabilityCheckTimeoutMs,
                    snapshotSizeFactor);
        }
    }

    private static IllegalArgumentException unknown(String key) {
        String why = NOT_PER_SERVER.get(key);
        if (why != null) {
            return new IllegalArgumentException(
                    "server setting '" + key + "' is not a per-server setting here: " + why);
        }
        return new IllegalArgumentException(
                "unknown server setting '" + key + "'; supported: " + String.join(", ", new TreeSet<>(KEYS)));
    }

    private static double factor(String key, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d <= 1 && !Double.isNaN(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                key + " must be a number up to 1 (negative turns log-based syncing" + " off), got \"" + value + "\"");
    }

    private static int integer(String key, String value, int min) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min) {
                throw new IllegalArgumentException("server setting " + key + "=" + value + " must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server setting " + key + "=" + value + " is not a whole number", e);
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default ->
                throw new IllegalArgumentException("server setting " + key + "=" + value + " must be true or false");
        };
    }
}
