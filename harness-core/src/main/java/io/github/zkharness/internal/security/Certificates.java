package io.github.zkharness.internal.security;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests: a CA and leaf certificates it signs, with EC P-256 keys (fast to generate) and SHA-256
 * signatures, written as PKCS12 key and trust stores. Uses the JDK's own providers for keys and signatures
 * (BouncyCastle only builds the certificate structures), so no security provider is added to the JVM.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Certificates {

    /** How long a generated certificate is valid by default: from an hour ago (clock skew) to a day from now. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);

    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** The names a certificate of the harness is issued for: the loopback addresses every peer and client uses. */
    public static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost");

    private Certificates() {}

    /** A key pair and its certificate chain (the leaf first, then its CA). */
    public record Identity(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {

        /** The chain a key store holds: the certificate, then the CA that signed it (none for a CA itself). */
        public Certificate[] chain() {
            return issuer == null || issuer.equals(certificate)
                    ? new Certificate[] {certificate}
                    : new Certificate[] {certificate, issuer};
        }
    }

    /** A new self-signed CA named {@code commonName}, valid from an hour ago for {@link #DEFAULT_VALIDITY}. */
    public static Identity newCa(String commonName) {
        KeyPair pair = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName + ",O=zk-harness");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name,
                serial(),
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(DEFAULT_VALIDITY).plus(Duration.ofDays(1))),
                name,
                pair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new IllegalStateException("could not build a CA certificate: " + e.getMessage(), e);
        }
        X509Certificate certificate = sign(builder, pair.getPrivate());
        return new Identity(pair.getPrivate(), certificate, certificate);
    }

    /**
     * A leaf certificate for {@code commonName} signed by {@code ca}, for servers and clients alike (both extended key
     * usages), with {@code names} as subject alternative names (IP addresses and DNS names), valid from
     * {@code notBefore} to {@code notAfter}.
     */
    public static Identity newLeaf(
            Identity ca, String commonName, List<String> names, Instant notBefore, Instant notAfter) {
        KeyPair pair = newKeyPair();
        X500Name issuer =
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                serial(),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name("CN=" + commonName + ",O=zk-harness"),
                pair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
        } catch (CertIOException e) {
            throw new IllegalStateException(
                    "could not build a certificate for " + commonName + ": " + e.getMessage(), e);
        }
        return new Identity(pair.getPrivate(), sign(builder, ca.key()), ca.certificate());
    }

    /** {@link #newLeaf} valid from an hour ago for {@link #DEFAULT_VALIDITY}. */
    public static Identity newLeaf(Identity ca, String commonName, List<String> names) {
        Instant now = Instant.now();
        return newLeaf(ca, commonName, names, now.minus(BACKDATE), now.plus(DEFAULT_VALIDITY));
    }

    /** Writes {@code identity} (key and chain) to a PKCS12 key store at {@code file}, replacing it atomically. */
    public static void writeKeyStore(Path file, Identity identity, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", identity.key(), password, identity.chain());
            write(file, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not write the key store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a PKCS12 trust store at {@code file} that trusts each of {@code cas}, replacing it atomically. */
    public static void writeTrustStore(Path file, List<X509Certificate> cas, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            write(file, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not write the trust store " + file + ": " + e.getMessage(), e);
        }
    }

    /** A random password for the stores of one ensemble (letters and digits). */
    public static String newPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void write(Path file, KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                store.store(out, password);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static GeneralNames alternativeNames(List<String> names) {
        GeneralName[] result = new GeneralName[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            boolean ip = n.chars().allMatch(c -> Character.isDigit(c) || c == '.') || n.contains(":");
            result[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n);
        }
        return new GeneralNames(result);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate EC P-256 keys: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
