package io.github.zkharness.internal.security;

import io.github.zkharness.internal.PeerWiring;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * An ensemble's SASL (DIGEST-MD5) users and the JAAS sections that serve them: one server section for the ensemble's
 * client ports, a client section per client configuration handed out, and with quorum SASL one quorum server section
 * (the quorum identity and its password, generated per ensemble) and one learner section per peer (the identity that
 * peer presents, with the password {@link #replaceQuorumPassword} may have given it). The sections live in the JVM's
 * {@link HarnessJaasConfiguration} while the ensemble runs ({@code JvmSecurityGlobals.acquireSasl}).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class EnsembleSasl {

    /** ZooKeeper 3.9's {@code X509Util.FIPS_MODE_PROPERTY} (absent from 3.8, which ignores it). */
    static final String FIPS_MODE = "zookeeper.fips-mode";

    /** The user name every peer of an ensemble with quorum SASL presents to the others. */
    public static final String QUORUM_USER = "zkquorum";

    private final String prefix;
    private final Map<String, String> users;
    private final @Nullable String quorumPassword;
    private final Map<Long, String> replacedQuorumPasswords = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private volatile HarnessJaasConfiguration jaas;

    /**
     * The users of ensemble {@code ensemble} (user name to password), and with {@code quorumSasl} a quorum identity
     * with a password drawn from a {@link SecureRandom}.
     */
    public EnsembleSasl(String ensemble, Map<String, String> users, boolean quorumSasl) {
        this.prefix = HarnessJaasConfiguration.PREFIX + ensemble + "-";
        this.users = Map.copyOf(users);
        this.quorumPassword = quorumSasl ? newPassword() : null;
    }

    private static String newPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The prefix of every section of this ensemble. */
    public String prefix() {
        return prefix;
    }

    /** The section the ensemble's client ports log in with. */
    public String serverSection() {
        return prefix + "server";
    }

    /** The declared users. */
    public Map<String, String> users() {
        return users;
    }

    /** Whether the ensemble's peers authenticate each other over SASL. */
    public boolean quorumSasl() {
        return quorumPassword != null;
    }

    /**
     * Called by {@code JvmGlobals} once the JVM's configuration serves this ensemble's client-port server section; with
     * quorum SASL it then also serves the quorum server section.
     */
    public void servedBy(HarnessJaasConfiguration configuration) {
        if (quorumPassword != null) {
            configuration.putServer(prefix + "quorum-server", Map.of(QUORUM_USER, quorumPassword));
        }
        this.jaas = configuration;
    }

    /**
     * The JAAS sections of peer {@code sid} as {@code PeerWiring.quorumSasl} answers them (empty without quorum SASL),
     * its learner section (re)written now with the password it presents: the one {@link #replaceQuorumPassword} gave
     * it, else the ensemble's. ZooKeeper reads both when the peer starts.
     */
    public Map<String, String> quorumSections(long sid) {
        HarnessJaasConfiguration configuration = jaas;
        if (quorumPassword == null || configuration == null) {
            return Map.of();
        }
        String learner = prefix + "quorum-learner-" + sid;
        configuration.putClient(learner, QUORUM_USER, replacedQuorumPasswords.getOrDefault(sid, quorumPassword));
        return Map.of(
                PeerWiring.QUORUM_SERVER_LOGIN_CONTEXT,
                prefix + "quorum-server",
                PeerWiring.QUORUM_LEARNER_LOGIN_CONTEXT,
                learner);
    }

    /** The password of the quorum identity {@link #QUORUM_USER}. */
    public String quorumPassword() {
        if (quorumPassword == null) {
            throw new IllegalStateException("the ensemble's peers do not use SASL; build it with quorumSasl(true)");
        }
        return quorumPassword;
    }

    /** From peer {@code sid}'s next start on, it presents {@code password} to the other peers. */
    public void replaceQuorumPassword(long sid, String password) {
        if (quorumPassword == null) {
            throw new IllegalStateException("the ensemble's peers do not use SASL; build it with quorumSasl(true)");
        }
        replacedQuorumPasswords.put(sid, Objects.requireNonNull(password, "password must not be null"));
    }

    /**
     * {@code base} (a new configuration, TLS or not) made to log in as {@code user} with {@code password}, which need
     * not be a declared user or their password: the server's answer to a wrong one is what a test may want to see.
     */
    public ZKClientConfig clientConfig(ZKClientConfig base, String user, String password) {
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(password, "password must not be null");
        HarnessJaasConfiguration configuration = jaas;
        if (configuration == null) {
            throw new IllegalStateException("the ensemble's SASL sections are not installed (not started, or closed)");
        }
        String section = prefix + "client-" + clients.incrementAndGet();
        configuration.putClient(section, user, password);
        base.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
        base.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section);
        // ZooKeeper 3.9's client refuses DIGEST-MD5 in its FIPS mode, on by default (3.8 has none): off for this client
        base.setProperty(FIPS_MODE, "false");
        return base;
    }
}
