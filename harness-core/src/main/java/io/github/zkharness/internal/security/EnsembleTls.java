package io.github.zkharness.internal.security;

import io.github.zkharness.ZkCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * The TLS material of one ensemble, in its temporary directory ({@code tls/}), deleted with it:
 * <ul>
 *   <li>a quorum CA of the ensemble's own, a trust store with it, and per node a key store with the certificate it
 *       presents to its peers ({@link #quorumProperties}; generated when the node first asks, so nodes added at
 *       runtime get theirs);</li>
 *   <li>for clients: a trust store with the CA of the JVM's client ports ({@link ClientPortTls}) and a client key
 *       store signed by it, one password for every store ({@link #clientConfig()}).</li>
 * </ul>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class EnsembleTls {

    /** The type of every store the harness writes. */
    public static final String STORE_TYPE = "PKCS12";
    /** The host name a {@link ZkCertificate#WRONG_HOST} certificate is issued for. */
    public static final String WRONG_HOST = "wrong-host.invalid";

    private static final String QUORUM = "zookeeper.ssl.quorum.";
    private static final String CLIENT = "zookeeper.ssl.";

    private final Path directory;
    private final TlsSettings settings;
    private final ClientPortTls clientPort;
    private final String password;
    private final Certificates.Identity quorumCa;
    private final Path quorumTrustStore;
    private final Path clientTrustStore;
    private final Path clientKeyStore;
    private final Map<Long, Map<String, String>> nodes = new ConcurrentHashMap<>();
    private volatile Certificates.Identity otherCa;
    private volatile SSLSocketFactory fourLetterWordSockets;

    private final String ensemble;

    private EnsembleTls(String ensemble, Path directory, TlsSettings settings, ClientPortTls clientPort) {
        this.ensemble = ensemble;
        this.directory = directory;
        this.settings = settings;
        this.clientPort = clientPort;
        this.password = Certificates.newPassword();
        this.quorumCa = Certificates.newCa("zk-harness quorum CA");
        this.quorumTrustStore = directory.resolve("quorum-truststore.p12");
        Certificates.writeTrustStore(quorumTrustStore, List.of(quorumCa.certificate()), password.toCharArray());
        this.clientTrustStore = directory.resolve("client-truststore.p12");
        Certificates.writeTrustStore(clientTrustStore, List.of(clientPort.ca().certificate()), password.toCharArray());
        this.clientKeyStore = directory.resolve("client-keystore.p12");
        Certificates.writeKeyStore(
                clientKeyStore,
                Certificates.newLeaf(clientPort.ca(), "zk-harness client", Certificates.LOOPBACK_NAMES),
                password.toCharArray());
    }

    /** Generates the material of ensemble {@code ensemble} in {@code directory} (created if needed). */
    public static EnsembleTls create(String ensemble, Path directory, TlsSettings settings, ClientPortTls clientPort) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("could not create " + directory + ": " + e.getMessage(), e);
        }
        return new EnsembleTls(ensemble, directory, settings, clientPort);
    }

    /** The name of the ensemble whose material this is. */
    public String ensemble() {
        return ensemble;
    }

    /** Whether the client ports also take plain clients. */
    public boolean plainClientPort() {
        return settings.plainClientPort();
    }

    /** Whether the client ports require a client certificate. */
    public boolean mutual() {
        return settings.mutual();
    }

    /** ZooKeeper's {@code zookeeper.ssl.quorum.*} settings of node {@code sid}; its key store is made at the first call. */
    public Map<String, String> quorumProperties(long sid) {
        return nodes.computeIfAbsent(sid, id -> {
            Path keyStore = nodeKeyStore(id);
            Certificates.writeKeyStore(keyStore, nodeIdentity(id, ZkCertificate.VALID), password.toCharArray());
            return Map.of(
                    QUORUM + "keyStore.location", keyStore.toString(),
                    QUORUM + "keyStore.password", password,
                    QUORUM + "keyStore.type", STORE_TYPE,
                    QUORUM + "trustStore.location", quorumTrustStore.toString(),
                    QUORUM + "trustStore.password", password,
                    QUORUM + "trustStore.type", STORE_TYPE,
                    QUORUM + "hostnameVerification", "true");
        });
    }

    /**
     * Replaces the certificate node {@code sid} presents to its peers, in place: the peer builds its SSL context again
     * at its next quorum connection (existing connections keep the old one, as in ZooKeeper's own reload).
     */
    public void replaceNodeCertificate(long sid, ZkCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate must not be null");
        quorumProperties(sid);
        Certificates.writeKeyStore(nodeKeyStore(sid), nodeIdentity(sid, certificate), password.toCharArray());
    }

    /** Where node {@code sid}'s key store is. */
    public Path nodeKeyStore(long sid) {
        return directory.resolve("node-" + sid + "-keystore.p12");
    }

    private Certificates.Identity nodeIdentity(long sid, ZkCertificate kind) {
        return identity(quorumCa, "zk-harness node " + sid, kind);
    }

    /**
     * A certificate for {@code name} of the given kind: from {@code ca} ({@code VALID}, {@code EXPIRED} since a day,
     * {@code WRONG_HOST}) or from this ensemble's unrelated CA ({@code UNTRUSTED}).
     */
    Certificates.Identity identity(Certificates.Identity ca, String name, ZkCertificate kind) {
        Instant now = Instant.now();
        return switch (kind) {
            case VALID -> Certificates.newLeaf(ca, name, Certificates.LOOPBACK_NAMES);
            case EXPIRED ->
                Certificates.newLeaf(
                        ca,
                        name,
                        Certificates.LOOPBACK_NAMES,
                        now.minus(Duration.ofDays(2)),
                        now.minus(Duration.ofDays(1)));
            case UNTRUSTED -> Certificates.newLeaf(otherCa(), name, Certificates.LOOPBACK_NAMES);
            case WRONG_HOST -> Certificates.newLeaf(ca, name, List.of(WRONG_HOST));
        };
    }

    /**
     * Replaces the certificate every TLS client port of the JVM presents, in place: each port reads it again at its
     * next client connection; connected clients keep their sessions.
     */
    public void replaceClientPortCertificate(ZkCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate must not be null");
        clientPort.replaceServerCertificate(identity(clientPort.ca(), ClientPortTls.SERVER_NAME, certificate));
    }

    private synchronized Certificates.Identity otherCa() {
        if (otherCa == null) {
            otherCa = Certificates.newCa("zk-harness unrelated CA");
        }
        return otherCa;
    }

    /** The PKCS12 trust store that trusts the client ports' certificate. */
    public Path trustStore() {
        return clientTrustStore;
    }

    /** The PKCS12 key store with the harness's client certificate (accepted by {@code mutualTls} ports). */
    public Path keyStore() {
        return clientKeyStore;
    }

    /** The password of every store of the ensemble. */
    public String password() {
        return password;
    }

    /**
     * A new PKCS12 key store with a client certificate for {@code commonName} signed by the client ports' CA, valid
     * from {@code notBefore} to {@code notAfter}.
     */
    public Path newClientKeyStore(String commonName, Instant notBefore, Instant notAfter) {
        Path file = directory.resolve("clients").resolve(fileName(commonName) + "-keystore.p12");
        Certificates.writeKeyStore(
                file,
                Certificates.newLeaf(clientPort.ca(), commonName, Certificates.LOOPBACK_NAMES, notBefore, notAfter),
                password.toCharArray());
        return file;
    }

    /** A PKCS12 trust store with a CA that signed nothing here: a client with it trusts no server of the ensemble. */
    public Path unrelatedTrustStore() {
        Path file = directory.resolve("unrelated-truststore.p12");
        synchronized (this) {
            if (!Files.exists(file)) {
                Certificates.writeTrustStore(file, List.of(otherCa().certificate()), password.toCharArray());
            }
        }
        return file;
    }

    /**
     * A new client configuration for the ensemble's TLS client ports: Netty socket, TLS, the trust store and the
     * client key store.
     */
    public ZKClientConfig clientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        config.setProperty(CLIENT + "trustStore.location", clientTrustStore.toString());
        config.setProperty(CLIENT + "trustStore.password", password);
        config.setProperty(CLIENT + "trustStore.type", STORE_TYPE);
        config.setProperty(CLIENT + "keyStore.location", clientKeyStore.toString());
        config.setProperty(CLIENT + "keyStore.password", password);
        config.setProperty(CLIENT + "keyStore.type", STORE_TYPE);
        // ZooKeeper 3.8's client ports speak TLSv1.2 only, 3.9's prefer TLSv1.3 only: offer both. A 3.9 client
        // offers what enabledProtocols says; a 3.8 client ignores it and offers what its context's protocol does,
        // which for TLSv1.3 is TLSv1.3 and TLSv1.2 (for 3.8's default TLSv1.2, TLSv1.2 alone)
        config.setProperty(CLIENT + "protocol", "TLSv1.3");
        config.setProperty(CLIENT + "enabledProtocols", "TLSv1.3,TLSv1.2");
        return config;
    }

    /** TLS sockets that trust the client ports and present the client certificate (for four-letter words). */
    public SSLSocketFactory fourLetterWordSockets() {
        SSLSocketFactory f = fourLetterWordSockets;
        if (f == null) {
            try {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(clientKeyStore), password.toCharArray());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(clientTrustStore));
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
                f = context.getSocketFactory();
                fourLetterWordSockets = f;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("could not load the ensemble's client stores: " + e.getMessage(), e);
            }
        }
        return f;
    }

    private KeyStore load(Path file) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static String fileName(String commonName) {
        return commonName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
