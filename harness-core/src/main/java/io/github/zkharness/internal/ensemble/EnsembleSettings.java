package io.github.zkharness.internal.ensemble;

import io.github.zkharness.ZkRuntime;
import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.PeerWiring;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.internal.ServerCode;
import io.github.zkharness.internal.ServerSettings;
import io.github.zkharness.internal.ServerVersion;
import io.github.zkharness.internal.security.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * The settings {@code ZkEnsemble.Builder} collects, with their defaults and rules: each setter checks its value at
 * once and names what is allowed; {@link #toConfig()} checks what depends on several values, fills in the session
 * bounds left unset and freezes the result. The builder is the documented face of this class.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class EnsembleSettings {

    private static final Duration DEFAULT_MAX_SESSION_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_FIRST_ID = 225;

    private int voters = 3;
    private int observers;
    private Duration tickTime = Duration.ofMillis(100);
    private int initLimit = 10;
    private int syncLimit = 5;
    private Duration minSessionTimeout;
    private Duration maxSessionTimeout;
    private Path baseDirectory;
    private boolean separateDataLogDir;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration awaitTimeout = Duration.ofSeconds(30);
    private boolean failOnThreadDeath;
    private final Map<String, String> serverSettings = new HashMap<>();
    private final Map<Integer, Map<String, String>> nodeSettings = new HashMap<>();
    private Set<String> fourLetterWords = Set.of(JvmGlobals.ALL_FOUR_LETTER_WORDS);
    private boolean links = true;
    private Ports ports = Ports.loopback();
    private boolean readOnlyMode;
    private int firstId = 1;
    /** The builder's leader placement: a server id (0: none), or a seed to draw one of the voters with. */
    private int leaderNode;

    private Long leaderSeed;

    private ZkRuntime runtime;
    private ServerVersion version;
    private final Map<Integer, ServerVersion> nodeVersions = new HashMap<>();

    /** The system property that sets the default runtime ({@code shared} or {@code isolated}) of every ensemble. */
    public static final String RUNTIME_PROPERTY = "zkharness.runtime";

    private boolean tls;
    private boolean plainClientPort;
    private boolean mutualTls;
    private final Map<String, String> saslUsers = new LinkedHashMap<>();
    private boolean quorumSasl;

    /** 1 to 15 voters. */
    public void voters(int count) {
        if (count < 1 || count > 15) {
            throw new IllegalArgumentException("voters must be between 1 and 15, got " + count);
        }
        this.voters = count;
    }

    /** 0 to 15 observers. */
    public void observers(int count) {
        if (count < 0 || count > 15) {
            throw new IllegalArgumentException("observers must be between 0 and 15, got " + count);
        }
        this.observers = count;
    }

    /** A tick of 1 ms to 1 min. */
    public void tickTime(Duration tickTime) {
        Await.requirePositive("tickTime", tickTime);
        if (tickTime.toMillis() < 1 || tickTime.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("tickTime must be between 1 ms and 1 min, got " + tickTime);
        }
        this.tickTime = tickTime;
    }

    /** At least 1 tick. */
    public void initLimit(int ticks) {
        if (ticks < 1) {
            throw new IllegalArgumentException("initLimit must be at least 1 tick, got " + ticks);
        }
        this.initLimit = ticks;
    }

    /** At least 1 tick. */
    public void syncLimit(int ticks) {
        if (ticks < 1) {
            throw new IllegalArgumentException("syncLimit must be at least 1 tick, got " + ticks);
        }
        this.syncLimit = ticks;
    }

    /** Positive, {@code min} not above {@code max}, {@code max} within ZooKeeper's int milliseconds. */
    public void sessionTimeouts(Duration min, Duration max) {
        Await.requirePositive("min session timeout", min);
        Await.requirePositive("max session timeout", max);
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min session timeout " + min + " exceeds max " + max);
        }
        if (max.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max session timeout must be at most " + Integer.MAX_VALUE
                    + " ms (ZooKeeper keeps it in int milliseconds), got " + max);
        }
        this.minSessionTimeout = min;
        this.maxSessionTimeout = max;
    }

    /** Not null. */
    public void baseDirectory(Path directory) {
        this.baseDirectory = Objects.requireNonNull(directory, "baseDirectory must not be null");
    }

    /** Whether each node's transaction log gets a directory of its own. */
    public void separateDataLogDir(boolean separate) {
        this.separateDataLogDir = separate;
    }

    /** Positive. */
    public void startTimeout(Duration timeout) {
        this.startTimeout = Await.requirePositive("startTimeout", timeout);
    }

    /** Whether a ZooKeeper thread that dies fails the ensemble's waits. */
    public void failOnThreadDeath(boolean fail) {
        this.failOnThreadDeath = fail;
    }

    /** Positive. */
    public void awaitTimeout(Duration timeout) {
        this.awaitTimeout = Await.requirePositive("awaitTimeout", timeout);
    }

    /** A key {@link ServerSettings} knows, with a value it accepts, for every server. */
    public void serverSetting(String key, String value) {
        ServerSettings.check(key, value);
        serverSettings.put(key, value);
    }

    /** The same for server {@code id} (from 1; checked against the ensemble's ids in {@link #toConfig()}). */
    public void serverSetting(int id, String key, String value) {
        if (id < 1) {
            throw new IllegalArgumentException("server ids start at 1, got " + id);
        }
        ServerSettings.check(key, value);
        nodeSettings.computeIfAbsent(id, k -> new HashMap<>()).put(key, value);
    }

    /** At least one word: four lowercase letters each, or {@code "*"}. */
    public void fourLetterWords(String... words) {
        Objects.requireNonNull(words, "words must not be null");
        if (words.length == 0) {
            throw new IllegalArgumentException("fourLetterWords needs at least one word (or \"*\" for all)");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String w : words) {
            if (w == null || !(w.equals("*") || w.matches("[a-z]{4}"))) {
                throw new IllegalArgumentException(
                        "four-letter word must be four lowercase letters or \"*\", got " + w);
            }
            set.add(w);
        }
        this.fourLetterWords = Collections.unmodifiableSet(set);
    }

    /** Whether peer and client connections go through the harness's links. */
    public void links(boolean enabled) {
        this.links = enabled;
    }

    /** Whether servers cut off from a quorum serve reads as ZooKeeper's read-only servers. */
    public void readOnlyMode(boolean enabled) {
        this.readOnlyMode = enabled;
    }

    /** The first server id, 1 to 255 - 29 so that 30 servers still fit below ZooKeeper's 255. */
    public void firstId(int id) {
        if (id < 1 || id > MAX_FIRST_ID) {
            throw new IllegalArgumentException("firstId must be between 1 and " + MAX_FIRST_ID
                    + " (ids of up to 30 servers must stay below 255 for ZooKeeper's myid), got " + id);
        }
        this.firstId = id;
    }

    /** ZooKeeper's own outcome after a fresh start: the highest id leads. */
    public void leaderHighestId() {
        this.leaderNode = 0;
        this.leaderSeed = null;
    }

    /** Server {@code id} leads after a start (checked against the voters' ids in {@link #toConfig()}). */
    public void leaderNode(int id) {
        if (id < 1) {
            throw new IllegalArgumentException("server ids start at 1, got " + id);
        }
        this.leaderNode = id;
        this.leaderSeed = null;
    }

    /** A voter drawn with {@code seed} leads after a start. */
    public void leaderRandom(long seed) {
        this.leaderNode = 0;
        this.leaderSeed = seed;
    }

    /** Where every node's ZooKeeper classes load. */
    public void runtime(ZkRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime must not be null");
    }

    /** The ZooKeeper version of every node. */
    public void version(ServerVersion version) {
        this.version = Objects.requireNonNull(version, "version must not be null");
    }

    /** The ZooKeeper version of server {@code id} (checked against the ensemble's ids in {@link #toConfig()}). */
    public void version(int id, ServerVersion version) {
        if (id < 1) {
            throw new IllegalArgumentException("server ids start at 1, got " + id);
        }
        nodeVersions.put(id, Objects.requireNonNull(version, "version must not be null"));
    }

    /**
     * The runtime asked for, else the one the system property {@value #RUNTIME_PROPERTY} names, else
     * {@link ZkRuntime#SHARED}.
     *
     * @throws IllegalArgumentException if the property names neither
     */
    static ZkRuntime defaultRuntime() {
        String value = System.getProperty(RUNTIME_PROPERTY);
        if (value == null || value.isBlank()) {
            return ZkRuntime.SHARED;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "shared" -> ZkRuntime.SHARED;
            case "isolated" -> ZkRuntime.ISOLATED;
            default ->
                throw new IllegalArgumentException("the system property " + RUNTIME_PROPERTY + " must be shared or"
                        + " isolated, got \"" + value + "\"");
        };
    }

    // ------------------------------------------------------------------------------------------------ TLS (#26)

    /** Whether clients and peers talk TLS. */
    public void tls(boolean enabled) {
        this.tls = enabled;
    }

    /** Whether TLS client ports also take plain clients; needs {@code tls(true)}. */
    public void plainClientPort(boolean alsoPlain) {
        this.plainClientPort = alsoPlain;
    }

    /** Whether TLS client ports require a client certificate; needs {@code tls(true)}. */
    public void mutualTls(boolean required) {
        this.mutualTls = required;
    }

    /** A SASL (DIGEST-MD5) user the client ports accept, with its password. */
    public void saslUser(String user, String password) {
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(password, "password must not be null");
        if (!user.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "a SASL user name must be 1 to 64 letters, digits, '.', '_' or '-', got \"" + user + "\"");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("SASL user " + user + " needs a password, got an empty one");
        }
        saslUsers.put(user, password);
    }

    /** Whether the peers authenticate each other over SASL (DIGEST-MD5). */
    public void quorumSasl(boolean enabled) {
        this.quorumSasl = enabled;
    }

    /** The TLS settings, or null without {@code tls(true)}, after the checks that depend on several settings. */
    private TlsSettings tlsSettings() {
        if (!tls) {
            List<String> conflicting = new ArrayList<>();
            if (plainClientPort) {
                conflicting.add("plainClientPort(true)");
            }
            if (mutualTls) {
                conflicting.add("mutualTls(true)");
            }
            if (!conflicting.isEmpty()) {
                throw new IllegalArgumentException(String.join(" and ", conflicting)
                        + " only make sense for a TLS ensemble: add tls(true), or remove them");
            }
            return null;
        }
        if (plainClientPort && mutualTls) {
            throw new IllegalArgumentException("plainClientPort(true) conflicts with mutualTls(true): a plain client"
                    + " presents no certificate, so the port could not require one; choose one of them");
        }
        return new TlsSettings(plainClientPort, mutualTls);
    }

    /** Where ports come from (tests replace the loopback allocator). */
    public void ports(Ports allocator) {
        this.ports = Objects.requireNonNull(allocator);
    }

    /**
     * The settings frozen, after the checks that depend on several of them; session bounds left unset become 2
     * ticks to the larger of 20 ticks and 60 s.
     *
     * @throws IllegalArgumentException if observers come with a single voter, or a per-server setting names an id
     *     the ensemble does not have
     */
    public EnsembleConfig toConfig() {
        int total = voters + observers;
        if (voters == 1 && observers > 0) {
            throw new IllegalArgumentException("observers need at least 2 voters: ZooKeeper runs a single voter"
                    + " on its own and never lets observers follow it; got voters(1).observers(" + observers + ")");
        }
        int lastId = firstId + total - 1;
        for (int id : nodeSettings.keySet()) {
            if (id < firstId || id > lastId) {
                throw new IllegalArgumentException(
                        "serverSetting names server " + id + " but ids run " + firstId + ".." + lastId);
            }
        }
        for (int id : nodeVersions.keySet()) {
            if (id < firstId || id > lastId) {
                throw new IllegalArgumentException(
                        "version(id, ...) names server " + id + " but ids run " + firstId + ".." + lastId);
            }
        }
        ZkRuntime chosen = runtime != null ? runtime : defaultRuntime();
        ServerVersion every = version != null ? version : ServerVersion.onClassPath();
        for (int id = firstId; id <= lastId; id++) {
            // fails now, not at start, when a version's jars are missing
            ServerCode.of(nodeVersions.getOrDefault(id, every), chosen == ZkRuntime.ISOLATED);
        }
        boolean readOnly = readOnlyMode || JvmGlobals.readOnlyModeSetByUser();
        if (readOnly) {
            requireLocalSessions(serverSettings, "every server");
            nodeSettings.forEach((id, settings) -> requireLocalSessions(settings, "server " + id));
        }
        int leader = preferredLeader();
        Duration min = minSessionTimeout;
        Duration max = maxSessionTimeout;
        if (min == null) {
            // ZooKeeper bounds sessions to 2..20 ticks; with a test's short tick that caps every client at
            // 2 s, and one failover plus the client's reconnect backoff (up to 1 s) would expire it
            min = tickTime.multipliedBy(2);
            Duration twentyTicks = tickTime.multipliedBy(20);
            max = twentyTicks.compareTo(DEFAULT_MAX_SESSION_TIMEOUT) >= 0 ? twentyTicks : DEFAULT_MAX_SESSION_TIMEOUT;
        }
        return new EnsembleConfig(
                voters,
                observers,
                tickTime,
                initLimit,
                syncLimit,
                min,
                max,
                baseDirectory,
                separateDataLogDir,
                startTimeout,
                awaitTimeout,
                serverSettings,
                nodeSettings,
                fourLetterWords,
                links,
                ports,
                failOnThreadDeath,
                readOnly,
                firstId,
                leader == 0 ? PeerWiring.NO_PREFERRED_LEADER : leader,
                leaderPlacement(leader),
                chosen,
                every,
                nodeVersions,
                tlsSettings(),
                saslUsers,
                quorumSasl);
    }

    /**
     * The voter the placement chose: the one named (which must be a voter of the builder's), or the one the seed draws
     * among the builder's voters; 0 for ZooKeeper's own order.
     */
    private int preferredLeader() {
        int lastVoter = firstId + voters - 1;
        if (leaderSeed != null) {
            // SplittableRandom mixes its seed: neighbouring seeds draw unrelated voters
            return firstId + new SplittableRandom(leaderSeed).nextInt(voters);
        }
        if (leaderNode == 0 || (leaderNode >= firstId && leaderNode <= lastVoter)) {
            return leaderNode;
        }
        int lastId = lastVoter + observers;
        if (leaderNode > lastVoter && leaderNode <= lastId) {
            throw new IllegalArgumentException("leader(LeaderPlacement.node(" + leaderNode + ")) names an observer"
                    + " (voters are " + firstId + ".." + lastVoter + ", observers " + (lastVoter + 1) + ".." + lastId
                    + "): an observer never votes and never leads; name a voter");
        }
        throw new IllegalArgumentException("leader(LeaderPlacement.node(" + leaderNode + ")) names no server of the"
                + " ensemble; its voters are " + firstId + ".." + lastVoter);
    }

    private String leaderPlacement(int leader) {
        if (leaderSeed != null) {
            return "random(seed " + leaderSeed + "): node " + leader;
        }
        return leader == 0 ? "highest id" : "node " + leader;
    }

    /** Read-only mode needs local sessions and their upgrade: refuse either turned off on purpose. */
    private void requireLocalSessions(Map<String, String> settings, String whose) {
        for (String key : new String[] {"localSessionsEnabled", "localSessionsUpgradingEnabled"}) {
            String value = settings.get(key);
            if (value != null && List.of("false", "no").contains(value.trim().toLowerCase(Locale.ROOT))) {
                String why = readOnlyMode
                        ? "readOnlyMode(true) is on"
                        : "the system property " + JvmGlobals.READ_ONLY_MODE + "=true turns read-only mode on";
                throw new IllegalArgumentException("server setting " + key + "=" + value + " for " + whose
                        + " breaks read-only mode (" + why + "): ZooKeeper's read-only server accepts only local"
                        + " sessions, and a local session must be upgraded to a global one when the server rejoins"
                        + " its quorum; leave " + key + " unset (read-only mode turns it on)");
            }
        }
    }
}
