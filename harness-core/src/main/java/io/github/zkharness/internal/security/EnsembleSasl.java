package io.github.zkharness.internal.security;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * An ensemble's SASL (DIGEST-MD5) users and the JAAS sections that serve them: one server section for the ensemble's
 * client ports, and a client section per client configuration handed out. The sections live in the JVM's
 * {@link HarnessJaasConfiguration} while the ensemble runs ({@code JvmGlobals.acquireSasl}).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class EnsembleSasl {

    /** ZooKeeper 3.9's {@code X509Util.FIPS_MODE_PROPERTY} (absent from 3.8, which ignores it). */
    static final String FIPS_MODE = "zookeeper.fips-mode";

    private final String prefix;
    private final Map<String, String> users;
    private final AtomicInteger clients = new AtomicInteger();
    private volatile HarnessJaasConfiguration jaas;

    /** The users of ensemble {@code ensemble}: user name to password. */
    public EnsembleSasl(String ensemble, Map<String, String> users) {
        this.prefix = HarnessJaasConfiguration.PREFIX + ensemble + "-";
        this.users = Map.copyOf(users);
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

    /** Called by {@code JvmGlobals} once the JVM's configuration serves this ensemble's server section. */
    public void servedBy(HarnessJaasConfiguration configuration) {
        this.jaas = configuration;
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
