package org.apache.zookeeper.server.quorum;

import io.github.zkharness.internal.security.ClientPortTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.zookeeper.common.X509Exception;
import org.apache.zookeeper.server.auth.X509AuthenticationProvider;
import org.apiguardian.api.API;

/**
 * The key and trust managers of every TLS client port of the JVM, and ZooKeeper's {@code x509} authentication of
 * client certificates. ZooKeeper's {@code NettyServerCnxnFactory} takes them from the provider that
 * {@code zookeeper.ssl.authProvider} names; this provider reads its stores from the harness's own system properties
 * ({@link #KEY_STORE}, {@link #TRUST_STORE}, {@link #PASSWORD}), never from {@code zookeeper.ssl.keyStore.*} and
 * {@code zookeeper.ssl.trustStore.*}: those every {@code ZKClientConfig} of the JVM would copy, and a client built
 * without a trust store would silently trust the servers.
 *
 * <p><b>Internal to zk-harness; do not use.</b> Installed and removed by {@code JvmGlobals} only; ZooKeeper's
 * {@code ProviderRegistry} instantiates it by name, with ZooKeeper's class loader, so it lives beside ZooKeeper.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HarnessClientPortAuth extends X509AuthenticationProvider {

    /** The system property that names the PKCS12 key store of the client ports' server certificate. */
    public static final String KEY_STORE = ClientPortTls.KEY_STORE;
    /** The system property that names the PKCS12 trust store for client certificates. */
    public static final String TRUST_STORE = ClientPortTls.TRUST_STORE;
    /** The system property with the password of both stores. */
    public static final String PASSWORD = ClientPortTls.PASSWORD;

    /** ZooKeeper calls it through {@code ProviderRegistry}. */
    public HarnessClientPortAuth() throws X509Exception {
        super(trustManager(), keyManager());
    }

    private static X509TrustManager trustManager() throws X509Exception.TrustManagerException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(TRUST_STORE));
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new X509Exception.TrustManagerException("no X509TrustManager for " + System.getProperty(TRUST_STORE));
        } catch (GeneralSecurityException | IOException e) {
            throw new X509Exception.TrustManagerException(e);
        }
    }

    private static X509KeyManager keyManager() throws X509Exception.KeyManagerException {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(KEY_STORE), password());
            for (KeyManager m : factory.getKeyManagers()) {
                if (m instanceof X509KeyManager x) {
                    return x;
                }
            }
            throw new X509Exception.KeyManagerException("no X509KeyManager for " + System.getProperty(KEY_STORE));
        } catch (GeneralSecurityException | IOException e) {
            throw new X509Exception.KeyManagerException(e);
        }
    }

    private static KeyStore load(String property) throws GeneralSecurityException, IOException {
        String location = System.getProperty(property);
        if (location == null) {
            throw new IOException("the system property " + property + " is not set: no TLS ensemble runs");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password());
        }
        return store;
    }

    private static char[] password() {
        String p = System.getProperty(PASSWORD);
        return p == null ? new char[0] : p.toCharArray();
    }
}
