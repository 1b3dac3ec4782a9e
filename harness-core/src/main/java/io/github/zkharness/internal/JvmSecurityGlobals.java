package io.github.zkharness.internal;

import io.github.zkharness.internal.security.ClientPortTls;
import io.github.zkharness.internal.security.EnsembleSasl;
import io.github.zkharness.internal.security.HarnessJaasConfiguration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.security.auth.login.Configuration;
import org.apiguardian.api.API;

/**
 * The part of {@link JvmGlobals} for secured ensembles: the JVM-wide settings of TLS client ports, the JAAS
 * configuration and the SASL properties, each listed (with when it is set and when removed) in {@link JvmGlobals}'s
 * documentation and in the guide's "What the harness does to your JVM". Together the two classes are the one place
 * that writes JVM-wide settings ({@code ArchitectureRulesTests} checks that no other class of the library does).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class JvmSecurityGlobals {

    private JvmSecurityGlobals() {}

    // ------------------------------------------------------------------------------------- TLS on client ports

    private static final String SSL_AUTH_PROVIDER = "zookeeper.ssl.authProvider";
    private static final String X509_PROVIDER = "zookeeper.authProvider.x509";
    private static final String CLIENT_AUTH = "zookeeper.ssl.clientAuth";
    private static final String PORT_UNIFICATION = "zookeeper.client.portUnification";
    /**
     * The authentication provider of the TLS client ports, by name: ZooKeeper's {@code ProviderRegistry} loads it
     * with ZooKeeper's own class loader (per node on the isolated runtime).
     */
    public static final String CLIENT_PORT_AUTH = "org.apache.zookeeper.server.quorum.HarnessClientPortAuth";

    private static final List<String> CLIENT_PORT_TLS_PROPERTIES = List.of(
            SSL_AUTH_PROVIDER,
            X509_PROVIDER,
            CLIENT_AUTH,
            ClientPortTls.KEY_STORE,
            ClientPortTls.TRUST_STORE,
            ClientPortTls.PASSWORD);

    private static final Map<Object, Boolean> clientPortTlsHolders = new IdentityHashMap<>();
    private static ClientPortTls clientPortTls;

    /**
     * Makes the JVM's TLS client ports present the harness's server certificate while {@code holder} runs, and ask
     * clients for a certificate when {@code mutual}; returns the material, whose CA also signs the client
     * certificates the ports accept. The first holder generates it.
     *
     * @throws IllegalStateException if a running ensemble wants the other {@code mutual}, or a system property the
     *     harness would set was set by someone else (the message names it)
     */
    public static synchronized ClientPortTls acquireClientPortTls(Object holder, boolean mutual) {
        if (clientPortTlsHolders.isEmpty()) {
            for (String key : CLIENT_PORT_TLS_PROPERTIES) {
                String value = System.getProperty(key);
                if (value != null) {
                    throw new IllegalStateException("the system property " + key + "=" + value + " is set, and"
                            + " zk-harness sets it for the TLS client ports of its ensembles (the guide's \"What the"
                            + " harness does to your JVM\"): remove it, or run this ensemble without tls(true)");
                }
            }
        } else {
            boolean running = clientPortTlsHolders.values().iterator().next();
            if (running != mutual && !(clientPortTlsHolders.size() == 1 && clientPortTlsHolders.containsKey(holder))) {
                throw new IllegalStateException("ZooKeeper reads whether TLS client ports ask for client certificates"
                        + " (zookeeper.ssl.clientAuth) JVM-wide: this ensemble asks for mutualTls(" + mutual
                        + ") while "
                        + clientPortTlsHolders.size() + " running TLS ensemble(s) use mutualTls(" + running + ")."
                        + " Give TLS ensembles that run at the same time the same mutualTls(...)");
            }
        }
        if (clientPortTls == null) {
            clientPortTls = ClientPortTls.generate();
            System.setProperty(
                    ClientPortTls.KEY_STORE, clientPortTls.serverKeyStore().toString());
            System.setProperty(
                    ClientPortTls.TRUST_STORE, clientPortTls.serverTrustStore().toString());
            System.setProperty(ClientPortTls.PASSWORD, clientPortTls.password());
            System.setProperty(SSL_AUTH_PROVIDER, "x509");
            System.setProperty(X509_PROVIDER, CLIENT_PORT_AUTH);
            ServerCode.forEachSide(side -> side.updateAuthProvider(X509_PROVIDER));
        }
        System.setProperty(CLIENT_AUTH, mutual ? "need" : "none");
        clientPortTlsHolders.put(holder, mutual);
        return clientPortTls;
    }

    /**
     * Releases what {@link #acquireClientPortTls} took for {@code holder}; the last holder removes every property it
     * set and ZooKeeper's {@code x509} provider, and deletes the material. Does nothing for a holder that never
     * acquired it.
     */
    public static synchronized void releaseClientPortTls(Object holder) {
        if (clientPortTlsHolders.remove(holder) == null || !clientPortTlsHolders.isEmpty()) {
            return;
        }
        CLIENT_PORT_TLS_PROPERTIES.forEach(System::clearProperty);
        ServerCode.forEachSide(side -> side.removeAuthProvider("x509"));
        ClientPortTls material = clientPortTls;
        clientPortTls = null;
        if (material != null) {
            material.delete();
        }
    }

    /**
     * Runs {@code factory} (the constructor of ZooKeeper's Netty factory, which reads
     * {@code zookeeper.client.portUnification} there and nowhere else) with that property set to {@code unified},
     * then puts the previous value back; under this class's lock, so that no other factory sees it.
     */
    public static synchronized <T> T withClientPortUnification(boolean unified, Callable<T> factory) throws Exception {
        return withProperty(PORT_UNIFICATION, Boolean.toString(unified), factory);
    }

    // ---------------------------------------------------------------------------------------------------- SASL

    private static final String SASL_PROVIDER = "zookeeper.authProvider.sasl";
    private static final String SASL_PROVIDER_CLASS = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    private static final String SASL_SERVER_SECTION = "zookeeper.sasl.serverconfig";
    private static final Map<Object, EnsembleSasl> saslHolders = new IdentityHashMap<>();
    private static HarnessJaasConfiguration jaas;
    private static boolean saslProviderSetByHarness;
    private static final String FIPS_MODE = "zookeeper.fips-mode";
    private static boolean fipsModeSetByHarness;

    /**
     * Serves {@code sasl}'s JAAS sections while {@code holder} runs: the first holder installs the harness's JAAS
     * {@link Configuration} in front of the JVM's (which it keeps serving every other section), and ZooKeeper's
     * {@code sasl} ACL scheme ({@code zookeeper.authProvider.sasl}, unless set).
     *
     * @throws IllegalStateException if {@code zookeeper.authProvider.sasl} names another provider
     */
    public static synchronized void acquireSasl(Object holder, EnsembleSasl sasl) {
        String provider = System.getProperty(SASL_PROVIDER);
        if (provider != null && !provider.equals(SASL_PROVIDER_CLASS)) {
            throw new IllegalStateException("the system property " + SASL_PROVIDER + "=" + provider + " replaces"
                    + " ZooKeeper's SASL ACL scheme, which an ensemble with SASL users needs (" + SASL_PROVIDER_CLASS
                    + "): remove it");
        }
        String fips = System.getProperty(FIPS_MODE);
        if (sasl.quorumSasl() && fips != null && !fips.equals("false")) {
            throw new IllegalStateException("the system property " + FIPS_MODE + "=" + fips + " makes ZooKeeper 3.9"
                    + " refuse DIGEST-MD5, which quorum SASL between the harness's peers uses: remove it or set it to"
                    + " false");
        }
        if (sasl.quorumSasl() && fips == null) {
            // ZooKeeper 3.9's quorum learner reads its FIPS switch from the system properties alone (3.8 has none)
            System.setProperty(FIPS_MODE, "false");
            fipsModeSetByHarness = true;
        }
        if (jaas == null) {
            Configuration previous;
            try {
                previous = Configuration.getConfiguration();
            } catch (SecurityException e) {
                previous = null; // no JAAS configuration readable: the harness's sections alone
            }
            jaas = new HarnessJaasConfiguration(previous);
            Configuration.setConfiguration(jaas);
        }
        if (provider == null) {
            System.setProperty(SASL_PROVIDER, SASL_PROVIDER_CLASS);
            saslProviderSetByHarness = true;
            ServerCode.forEachSide(side -> side.updateAuthProvider(SASL_PROVIDER));
        }
        jaas.putServer(sasl.serverSection(), sasl.users());
        sasl.servedBy(jaas);
        saslHolders.put(holder, sasl);
    }

    /**
     * Releases what {@link #acquireSasl} took for {@code holder}: its sections go; the last holder puts the previous
     * JAAS configuration back and removes the provider property it set. Does nothing for a holder that never acquired.
     */
    public static synchronized void releaseSasl(Object holder) {
        EnsembleSasl sasl = saslHolders.remove(holder);
        if (sasl == null) {
            return;
        }
        jaas.removeAll(sasl.prefix());
        if (fipsModeSetByHarness && saslHolders.values().stream().noneMatch(EnsembleSasl::quorumSasl)) {
            System.clearProperty(FIPS_MODE);
            fipsModeSetByHarness = false;
        }
        if (saslHolders.isEmpty()) {
            Configuration.setConfiguration(jaas.previous());
            jaas = null;
            if (saslProviderSetByHarness) {
                System.clearProperty(SASL_PROVIDER);
                ServerCode.forEachSide(side -> side.removeAuthProvider("sasl"));
                saslProviderSetByHarness = false;
            }
        }
    }

    /**
     * Runs {@code configure} (a client-port factory's {@code configure}, where ZooKeeper reads
     * {@code zookeeper.sasl.serverconfig} to log its server in) with that property naming {@code section}, then puts
     * the previous value back; under this class's lock. A null section runs it unchanged.
     */
    public static synchronized <T> T withSaslServerSection(String section, Callable<T> configure) throws Exception {
        if (section == null) {
            return configure.call();
        }
        return withProperty(SASL_SERVER_SECTION, section, configure);
    }

    /** Runs {@code task} with the system property {@code key} set to {@code value}, then puts the previous value back. */
    private static <T> T withProperty(String key, String value, Callable<T> task) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return task.call();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
