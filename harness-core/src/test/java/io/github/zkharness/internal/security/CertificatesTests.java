package io.github.zkharness.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.zookeeper.common.X509Util;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stores {@link Certificates} writes with one iteration instead of the JDK's 10,000: the JDK's PKCS12 key store and
 * ZooKeeper's store loader read them, with the key, its chain and the trusted CA, and a wrong password is refused.
 */
class CertificatesTests {

    private static final char[] PASSWORD = "store-password".toCharArray();

    @TempDir
    Path dir;

    @Test
    void keyStoreHoldsTheKeyAndItsChainAndZooKeeperLoadsIt() throws Exception {
        Certificates.Identity ca = Certificates.newCa("test CA");
        Certificates.Identity leaf = Certificates.newLeaf(ca, "node", Certificates.LOOPBACK_NAMES);
        Path file = dir.resolve("node.p12");
        Certificates.writeKeyStore(file, leaf, PASSWORD);

        KeyStore store = load(file, PASSWORD);
        assertThat(Collections.list(store.aliases())).containsExactly("key");
        assertThat(store.isKeyEntry("key")).isTrue();
        assertThat(store.getKey("key", PASSWORD)).isEqualTo(leaf.key());
        assertThat(store.getCertificateChain("key")).containsExactly(leaf.certificate(), ca.certificate());

        KeyStore viaZooKeeper = X509Util.loadKeyStore(file.toString(), new String(PASSWORD), "PKCS12");
        assertThat(viaZooKeeper.getKey("key", PASSWORD)).isEqualTo(leaf.key());
    }

    @Test
    void trustStoreTrustsTheCaAndZooKeeperLoadsIt() throws Exception {
        Certificates.Identity ca = Certificates.newCa("test CA");
        Certificates.Identity other = Certificates.newCa("other CA");
        Path file = dir.resolve("trust.p12");
        Certificates.writeTrustStore(file, List.of(ca.certificate()), PASSWORD);

        KeyStore store = load(file, PASSWORD);
        assertThat(store.isCertificateEntry("ca-0")).isTrue();
        assertThat(store.getCertificate("ca-0")).isEqualTo(ca.certificate());

        X509TrustManager trust = trustManager(X509Util.loadTrustStore(file.toString(), new String(PASSWORD), "PKCS12"));
        X509Certificate[] signed = new X509Certificate[] {
            Certificates.newLeaf(ca, "node", Certificates.LOOPBACK_NAMES).certificate()
        };
        trust.checkServerTrusted(signed, "ECDHE_ECDSA");
        X509Certificate[] unrelated = new X509Certificate[] {
            Certificates.newLeaf(other, "node", Certificates.LOOPBACK_NAMES).certificate()
        };
        assertThatThrownBy(() -> trust.checkServerTrusted(unrelated, "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void storesAreMacProtectedWithOneIterationAndRefuseAWrongPassword() throws Exception {
        Certificates.Identity ca = Certificates.newCa("test CA");
        Path keys = dir.resolve("node.p12");
        Path trust = dir.resolve("trust.p12");
        Certificates.writeKeyStore(keys, Certificates.newLeaf(ca, "node", Certificates.LOOPBACK_NAMES), PASSWORD);
        Certificates.writeTrustStore(trust, List.of(ca.certificate()), PASSWORD);

        for (Path file : List.of(keys, trust)) {
            Pfx pfx = Pfx.getInstance(Files.readAllBytes(file));
            assertThat(pfx.getMacData()).as("MAC of %s", file).isNotNull();
            assertThat(pfx.getMacData().getIterationCount().intValue())
                    .as("MAC iterations of %s", file)
                    .isEqualTo(Certificates.STORE_ITERATIONS);
            assertThatThrownBy(() -> load(file, "wrong".toCharArray()))
                    .as("%s opened with a wrong password", file)
                    .isInstanceOf(IOException.class);
        }
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore trusted) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
