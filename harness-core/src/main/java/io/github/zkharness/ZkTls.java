package io.github.zkharness;

import io.github.zkharness.internal.Facades;
import io.github.zkharness.internal.security.EnsembleTls;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * The TLS material of an ensemble built with {@code tls(true)}, for clients: get it from {@code ZkEnsemble.tls()}.
 *
 * <p>The harness generates it when the ensemble first starts, into the ensemble's temporary directory, and deletes
 * it on close: PKCS12 stores ({@link #STORE_TYPE}) that share one {@link #password()}. {@link #clientConfig()} is
 * a ready {@link ZKClientConfig}; the clients the harness opens ({@code newZooKeeper()}, {@code ZkCurator}, the
 * JUnit injection) use it already. For a client of your own:
 *
 * <pre>{@code
 * ZooKeeper client = new ZooKeeper(zk.connectString(), 30_000, watcher, zk.tls().clientConfig());
 * }</pre>
 *
 * <p>Or set ZooKeeper's client properties yourself: {@code zookeeper.client.secure=true},
 * {@code zookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty}, and
 * {@code zookeeper.ssl.trustStore.location/password/type} from {@link #trustStore()}, {@link #password()} and
 * {@link #STORE_TYPE} (plus {@code zookeeper.ssl.keyStore.*} from {@link #keyStore()} when the ensemble was built
 * with {@code mutualTls(true)}).
 *
 * <p>What a client sees when its side is wrong: without a trust store, or with one that does not trust the
 * servers ({@link #unrelatedTrustStore()}), every TLS handshake fails, so the client never connects
 * ({@code CONNECTING} until its own timeout; ZooKeeper logs the handshake failure); without a client certificate, a
 * {@code mutualTls(true)} server closes the connection, with the same result.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ZkTls {

    /** The type of every store: {@value}. */
    public static final String STORE_TYPE = EnsembleTls.STORE_TYPE;

    static {
        Facades.register(ZkTls.class, EnsembleTls.class, ZkTls::new);
    }

    private final EnsembleTls tls;

    private ZkTls(EnsembleTls tls) {
        this.tls = tls;
    }

    /**
     * A new client configuration that connects to the ensemble's TLS client ports: TLS on, ZooKeeper's Netty client
     * socket (the only one that does TLS), the {@link #trustStore()} and the {@link #keyStore()}. Each call returns a
     * new one, for the caller to change.
     */
    public ZKClientConfig clientConfig() {
        return tls.clientConfig();
    }

    /** The trust store that trusts the servers' client-port certificate (issued for 127.0.0.1 and localhost). */
    public Path trustStore() {
        return tls.trustStore();
    }

    /** A key store with a client certificate the servers accept when they require one ({@code mutualTls(true)}). */
    public Path keyStore() {
        return tls.keyStore();
    }

    /** The password of every store of this ensemble. */
    public String password() {
        return tls.password();
    }

    /**
     * A new key store with a client certificate for {@code commonName}, signed by the CA the servers trust, valid from
     * {@code notBefore} to {@code notAfter} (an expired one, to see the servers refuse it). The ensemble deletes it on
     * close.
     *
     * @throws IllegalArgumentException if {@code commonName} is blank or {@code notAfter} is not after
     *     {@code notBefore}
     */
    public Path newClientKeyStore(String commonName, Instant notBefore, Instant notAfter) {
        Objects.requireNonNull(commonName, "commonName must not be null");
        Objects.requireNonNull(notBefore, "notBefore must not be null");
        Objects.requireNonNull(notAfter, "notAfter must not be null");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("commonName must not be blank");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        return tls.newClientKeyStore(commonName, notBefore, notAfter);
    }

    /**
     * A trust store with a CA that signed nothing of this ensemble: a client that uses it trusts none of the servers
     * (the lesson of a wrong trust store).
     */
    public Path unrelatedTrustStore() {
        return tls.unrelatedTrustStore();
    }

    /**
     * Where node {@code node}'s key store (the certificate it presents to its peers) is.
     *
     * @throws IllegalArgumentException if {@code node} belongs to another ensemble
     */
    public Path nodeKeyStore(ZkNode node) {
        return tls.nodeKeyStore(own(node).id());
    }

    /**
     * Replaces the certificate {@code node} presents to its peers, in place, as a certificate rotation does: the node
     * reads its key store again at its next quorum connection; connections it has keep their session. A
     * {@link ZkCertificate#VALID} one is a fresh certificate from the same CA.
     *
     * @throws IllegalArgumentException if {@code node} belongs to another ensemble
     */
    public void replaceNodeCertificate(ZkNode node, ZkCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate must not be null");
        tls.replaceNodeCertificate(own(node).id(), certificate);
    }

    /**
     * Replaces the certificate the client ports present to clients, in place, as a rotation does: each port reads it
     * again at its next client connection, without a restart; connected clients keep their sessions. ZooKeeper reads
     * the client ports' certificate JVM-wide, so this changes it for every TLS ensemble running in this JVM, and the
     * first TLS ensemble of the JVM to start after the last one closed gets a fresh one. {@link ZkCertificate#EXPIRED}
     * or {@link ZkCertificate#UNTRUSTED} makes every new connection's handshake fail (the client stays
     * {@code CONNECTING}); {@link ZkCertificate#WRONG_HOST} fails only clients that verify the host name (ZooKeeper's
     * default); {@link ZkCertificate#VALID} is a fresh certificate from the same CA.
     */
    public void replaceClientPortCertificate(ZkCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate must not be null");
        tls.replaceClientPortCertificate(certificate);
    }

    private ZkNode own(ZkNode node) {
        Objects.requireNonNull(node, "node must not be null");
        if (!node.ensemble().name().equals(tls.ensemble())) {
            throw new IllegalArgumentException("node " + node.id() + " belongs to "
                    + node.ensemble().name() + ", not to " + tls.ensemble() + " whose TLS material this is");
        }
        return node;
    }

    @Override
    public String toString() {
        return "ZkTls[trustStore=" + trustStore() + "]";
    }
}
