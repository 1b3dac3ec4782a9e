package io.github.zkharness.internal.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS material of every client port of the JVM (ZooKeeper reads a server's client-port certificate JVM-wide):
 * a CA, a server certificate it signs for 127.0.0.1 and localhost, and a trust store with that CA, against which the
 * ports check client certificates. Generated into a temporary directory of its own by {@code JvmGlobals} for the
 * first TLS ensemble, deleted after the last one.
 *
 * @param ca               signs the server certificate and every client certificate the ports accept
 * @param serverKeyStore   PKCS12: the server certificate and its key
 * @param serverTrustStore PKCS12: the CA
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ClientPortTls(
        Path directory, Certificates.Identity ca, Path serverKeyStore, Path serverTrustStore, String password) {

    /** The system property that names the PKCS12 key store of the client ports' server certificate. */
    public static final String KEY_STORE = "zkharness.clientPort.keyStore";
    /** The system property that names the PKCS12 trust store for client certificates. */
    public static final String TRUST_STORE = "zkharness.clientPort.trustStore";
    /** The system property with the password of both stores. */
    public static final String PASSWORD = "zkharness.clientPort.password";

    /** The common name of the client ports' server certificate. */
    static final String SERVER_NAME = "zk-harness server";

    private static final Logger LOG = LoggerFactory.getLogger(ClientPortTls.class);

    /** Generates the CA, the server certificate and the stores. */
    public static ClientPortTls generate() {
        try {
            Path dir = Files.createTempDirectory(
                    "zk-harness-tls-" + ProcessHandle.current().pid() + "-");
            String password = Certificates.newPassword();
            Certificates.Identity ca = Certificates.newCa("zk-harness client port CA");
            Certificates.Identity server = Certificates.newLeaf(ca, SERVER_NAME, Certificates.LOOPBACK_NAMES);
            Path keyStore = dir.resolve("server-keystore.p12");
            Path trustStore = dir.resolve("server-truststore.p12");
            Certificates.writeKeyStore(keyStore, server, password.toCharArray());
            Certificates.writeTrustStore(trustStore, List.of(ca.certificate()), password.toCharArray());
            return new ClientPortTls(dir, ca, keyStore, trustStore, password);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not create a directory for the client ports' TLS material in "
                            + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Writes {@code identity} as the server certificate, replacing the key store atomically: the ports read it again
     * at their next client connection ({@code HarnessClientPortAuth}).
     */
    public void replaceServerCertificate(Certificates.Identity identity) {
        Certificates.writeKeyStore(serverKeyStore, identity, password.toCharArray());
    }

    /** Deletes the directory. */
    public void delete() {
        try {
            FileUtils.deleteDirectory(directory.toFile());
        } catch (IOException e) {
            LOG.warn("could not delete {}", directory, e);
        }
    }
}
