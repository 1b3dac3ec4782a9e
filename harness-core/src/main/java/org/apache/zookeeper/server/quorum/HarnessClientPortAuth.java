package org.apache.zookeeper.server.quorum;

import io.github.zkharness.internal.security.ClientPortTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.zookeeper.common.X509Exception;
import org.apache.zookeeper.server.auth.X509AuthenticationProvider;
import org.apiguardian.api.API;

/**
 * The key and trust managers of every TLS client port of the JVM, and ZooKeeper's {@code x509} authentication of
 * client certificates. ZooKeeper's {@code NettyServerCnxnFactory} takes them from the provider that
 * {@code zookeeper.ssl.authProvider} names, for each new client connection; this provider reads its stores from the
 * harness's own system properties ({@link #KEY_STORE}, {@link #TRUST_STORE}, {@link #PASSWORD}), never from
 * {@code zookeeper.ssl.keyStore.*} and {@code zookeeper.ssl.trustStore.*}: those every {@code ZKClientConfig} of the
 * JVM would copy, and a client built without a trust store would silently trust the servers. When either store file
 * was replaced since it was read, the next connection reads both again: that is how a rotation of the client ports'
 * certificate reaches running servers (ZooKeeper's own {@code zookeeper.client.certReload} watches the
 * {@code zookeeper.ssl.*} files only).
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

    private final Stores stores;

    /** ZooKeeper calls it through {@code ProviderRegistry}. */
    public HarnessClientPortAuth() throws X509Exception {
        this(new Stores());
    }

    private HarnessClientPortAuth(Stores stores) {
        super(stores.trust, stores.key);
        this.stores = stores;
    }

    /** The key manager, reading the key store again first if its file was replaced. */
    @Override
    public X509KeyManager getKeyManager() throws X509Exception.KeyManagerException {
        try {
            stores.reloadIfReplaced();
        } catch (X509Exception e) {
            throw new X509Exception.KeyManagerException(e);
        }
        return super.getKeyManager();
    }

    /** The trust manager, reading the trust store again first if its file was replaced. */
    @Override
    public X509TrustManager getTrustManager() throws X509Exception.TrustManagerException {
        try {
            stores.reloadIfReplaced();
        } catch (X509Exception e) {
            throw new X509Exception.TrustManagerException(e);
        }
        return super.getTrustManager();
    }

    /** Both managers, each delegating to what was read from the files last, and the files' stamps then. */
    private static final class Stores {
        final SwappableKeyManager key = new SwappableKeyManager();
        final SwappableTrustManager trust = new SwappableTrustManager();
        private String stamp;

        Stores() throws X509Exception {
            reloadIfReplaced();
        }

        synchronized void reloadIfReplaced() throws X509Exception {
            String now = stamp(KEY_STORE) + ";" + stamp(TRUST_STORE);
            if (!now.equals(stamp)) {
                trust.delegate = trustManager();
                key.delegate = keyManager();
                stamp = now;
            }
        }

        /** Location, inode (an atomic replacement makes a new one), modification time and size. */
        private static String stamp(String property) {
            String location = System.getProperty(property);
            if (location == null) {
                return "unset";
            }
            try {
                BasicFileAttributes a = Files.readAttributes(Path.of(location), BasicFileAttributes.class);
                return location + "@" + a.fileKey() + "/" + a.lastModifiedTime().toMillis() + "/" + a.size();
            } catch (IOException e) {
                return location + "@missing";
            }
        }
    }

    private static X509ExtendedTrustManager trustManager() throws X509Exception.TrustManagerException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(TRUST_STORE));
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new X509Exception.TrustManagerException("no X509TrustManager for " + System.getProperty(TRUST_STORE));
        } catch (GeneralSecurityException | IOException e) {
            throw new X509Exception.TrustManagerException(e);
        }
    }

    private static X509ExtendedKeyManager keyManager() throws X509Exception.KeyManagerException {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(KEY_STORE), password());
            for (KeyManager m : factory.getKeyManagers()) {
                if (m instanceof X509ExtendedKeyManager x) {
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

    /** A key manager whose every answer comes from the one read last. */
    private static final class SwappableKeyManager extends X509ExtendedKeyManager {
        volatile X509ExtendedKeyManager delegate;

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }
    }

    /** A trust manager whose every answer comes from the one read last. */
    private static final class SwappableTrustManager extends X509ExtendedTrustManager {
        volatile X509ExtendedTrustManager delegate;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }
    }
}
