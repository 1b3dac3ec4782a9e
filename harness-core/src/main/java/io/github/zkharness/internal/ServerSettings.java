package io.github.zkharness.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-server settings of ZooKeeper's configuration that a harness peer honours, beyond the timing and
 * membership the builder names. Keys are spelled as in {@code zoo.cfg}.
 *
 * @param maxClientCnxns              connections one IP may open to one server; 0 = unlimited (the harness
 *                                    default: every test client comes from 127.0.0.1)
 * @param clientPortListenBacklog     the client port's accept backlog; -1 = the OS default
 * @param localSessionsEnabled        {@code localSessionsEnabled}
 * @param localSessionsUpgradingEnabled {@code localSessionsUpgradingEnabled}
 * @param syncEnabled                 {@code syncEnabled}: observers log transactions to disk
 * @param connectToLearnerMasterLimit {@code connectToLearnerMasterLimit} in ticks; 0 = use initLimit
 * @param quorumCnxnThreadsSize       {@code quorum.cnxn.threads.size}
 */
public record ServerSettings(int maxClientCnxns, int clientPortListenBacklog, boolean localSessionsEnabled,
                             boolean localSessionsUpgradingEnabled, boolean syncEnabled,
                             int connectToLearnerMasterLimit, int quorumCnxnThreadsSize) {

    /** The keys {@link #from} accepts. */
    public static final Set<String> KEYS = Set.of("maxClientCnxns", "clientPortListenBacklog", "localSessionsEnabled",
        "localSessionsUpgradingEnabled", "syncEnabled", "connectToLearnerMasterLimit", "quorum.cnxn.threads.size");

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
        Map.entry("quorumListenOnAllIPs", "the harness binds loopback only"),
        Map.entry("observerMasterPort", "it binds the same port on every follower of one host, unusable on loopback"),
        Map.entry("4lw.commands.whitelist", "use the builder's fourLetterWords(...)"),
        Map.entry("snapCount", "ZooKeeper reads it JVM-wide: set the system property zookeeper.snapCount"),
        Map.entry("preAllocSize", "ZooKeeper reads it JVM-wide: set the system property zookeeper.preAllocSize"),
        Map.entry("skipACL", "ZooKeeper reads it JVM-wide: set the system property zookeeper.skipACL"),
        Map.entry("jute.maxbuffer", "ZooKeeper reads it JVM-wide: set the system property jute.maxbuffer"),
        Map.entry("admin.enableServer", "the harness never starts ZooKeeper's admin server"),
        Map.entry("standaloneEnabled", "a harness ensemble always runs its peers as a quorum"),
        Map.entry("reconfigEnabled", "not supported yet")));

    /** ZooKeeper's defaults, except {@code maxClientCnxns} (unlimited, see above). */
    public static final ServerSettings DEFAULTS = new ServerSettings(0, -1, false, false, true, 0, 20);

    /**
     * Applies {@code values} on top of {@link #DEFAULTS}.
     *
     * @throws IllegalArgumentException naming the key or value and what is allowed
     */
    public static ServerSettings from(Map<String, String> values) {
        ServerSettings s = DEFAULTS;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        return s;
    }

    /** Checks one key and value without keeping them. */
    public static void check(String key, String value) {
        DEFAULTS.with(key, value);
    }

    private ServerSettings with(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("server setting key and value must not be null, got " + key + "=" + value);
        }
        return switch (key) {
            case "maxClientCnxns" -> new ServerSettings(integer(key, value, 0), clientPortListenBacklog,
                localSessionsEnabled, localSessionsUpgradingEnabled, syncEnabled, connectToLearnerMasterLimit,
                quorumCnxnThreadsSize);
            case "clientPortListenBacklog" -> new ServerSettings(maxClientCnxns, integer(key, value, -1),
                localSessionsEnabled, localSessionsUpgradingEnabled, syncEnabled, connectToLearnerMasterLimit,
                quorumCnxnThreadsSize);
            case "localSessionsEnabled" -> new ServerSettings(maxClientCnxns, clientPortListenBacklog,
                bool(key, value), localSessionsUpgradingEnabled, syncEnabled, connectToLearnerMasterLimit,
                quorumCnxnThreadsSize);
            case "localSessionsUpgradingEnabled" -> new ServerSettings(maxClientCnxns, clientPortListenBacklog,
                localSessionsEnabled, bool(key, value), syncEnabled, connectToLearnerMasterLimit, quorumCnxnThreadsSize);
            case "syncEnabled" -> new ServerSettings(maxClientCnxns, clientPortListenBacklog, localSessionsEnabled,
                localSessionsUpgradingEnabled, bool(key, value), connectToLearnerMasterLimit, quorumCnxnThreadsSize);
            case "connectToLearnerMasterLimit" -> new ServerSettings(maxClientCnxns, clientPortListenBacklog,
                localSessionsEnabled, localSessionsUpgradingEnabled, syncEnabled, integer(key, value, 0),
                quorumCnxnThreadsSize);
            case "quorum.cnxn.threads.size" -> new ServerSettings(maxClientCnxns, clientPortListenBacklog,
                localSessionsEnabled, localSessionsUpgradingEnabled, syncEnabled, connectToLearnerMasterLimit,
                integer(key, value, 1));
            default -> throw unknown(key);
        };
    }

    private static IllegalArgumentException unknown(String key) {
        String why = NOT_PER_SERVER.get(key);
        if (why != null) {
            return new IllegalArgumentException("server setting '" + key + "' is not a per-server setting here: " + why);
        }
        return new IllegalArgumentException("unknown server setting '" + key + "'; supported: "
            + String.join(", ", new java.util.TreeSet<>(KEYS)));
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
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("server setting " + key + "=" + value + " must be true or false");
        };
    }
}
