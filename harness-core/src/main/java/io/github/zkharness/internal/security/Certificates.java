package io.github.zkharness.internal.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.apiguardian.api.API;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

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

    /**
     * The iteration count of every password-based step in the stores the harness writes (the store's MAC, its key's
     * encryption): 1, where the JDK writes 10,000 (which costs 5-20 ms per store written or opened). The material is
     * throwaway test material under a random password, and opening stores is on the path of every TLS start and
     * handshake setup; the JDK and ZooKeeper read the count from the file.
     */
    static final int STORE_ITERATIONS = 1;

    private static final String KEY_ALIAS = "key";
    // the JDK marks a trust store's certificates with this attribute (its value: the usages trusted for); a PKCS12
    // certificate without it and without a key is not loaded as a trusted entry
    private static final ASN1ObjectIdentifier JDK_TRUSTED_KEY_USAGE =
            new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
    private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";

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

    /**
     * Writes {@code identity} (key and chain) to a PKCS12 key store at {@code file}, replacing it atomically. The
     * store is {@linkplain #STORE_ITERATIONS cheap to open}: its key is encrypted (AES-256-CBC, PBKDF2 with
     * HMAC-SHA256) and the store is MAC-protected (HMAC-SHA256), both with one iteration of the password's key
     * derivation instead of the JDK's 10,000.
     */
    public static void writeKeyStore(Path file, Identity identity, char[] password) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            SubjectKeyIdentifier keyId =
                    extensions.createSubjectKeyIdentifier(identity.certificate().getPublicKey());
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            Certificate[] chain = identity.chain();
            PKCS12SafeBag[] certificates = new PKCS12SafeBag[chain.length];
            for (int i = 0; i < chain.length; i++) {
                JcaPKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder((X509Certificate) chain[i]);
                if (i == 0) {
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(KEY_ALIAS));
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
                }
                certificates[i] = bag.build();
            }
            pfx.addData(new PKCS12SafeBag(new SafeBag(
                    PKCSObjectIdentifiers.pkcs8ShroudedKeyBag,
                    encrypted(identity.key(), password),
                    new DERSet(new ASN1Encodable[] {
                        new Attribute(
                                PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERSet(new DERBMPString(KEY_ALIAS))),
                        new Attribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DERSet(keyId))
                    }))));
            for (PKCS12SafeBag certificate : certificates) {
                pfx.addData(certificate);
            }
            write(file, pfx, password);
        } catch (GeneralSecurityException | IOException | PKCSException | OperatorCreationException e) {
            throw new IllegalStateException("could not write the key store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a PKCS12 trust store at {@code file} that trusts each of {@code cas}, replacing it atomically: the
     * certificates in the clear (they are public), marked as trusted the way the JDK's own trust stores mark them, the
     * store MAC-protected with {@linkplain #STORE_ITERATIONS one iteration}.
     */
    public static void writeTrustStore(Path file, List<X509Certificate> cas, char[] password) {
        try {
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            for (int i = 0; i < cas.size(); i++) {
                JcaPKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(cas.get(i));
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("ca-" + i));
                bag.addBagAttribute(JDK_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage);
                pfx.addData(bag.build());
            }
            write(file, pfx, password);
        } catch (IOException | PKCSException | OperatorCreationException e) {
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

    /**
     * {@code key} encrypted as the JDK's PKCS12 store encrypts a key (PBES2: PBKDF2 with HMAC-SHA256, AES-256-CBC),
     * with the JDK's own providers, but with {@link #STORE_ITERATIONS}.
     */
    private static EncryptedPrivateKeyInfo encrypted(PrivateKey key, char[] password)
            throws GeneralSecurityException, IOException {
        byte[] salt = new byte[20];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        SecretKey secret = SecretKeyFactory.getInstance(KEY_PROTECTION).generateSecret(new PBEKeySpec(password));
        Cipher cipher = Cipher.getInstance(KEY_PROTECTION);
        cipher.init(Cipher.ENCRYPT_MODE, secret, new PBEParameterSpec(salt, STORE_ITERATIONS, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        // the cipher's parameters encode as PBES2-params (key derivation, iterations, cipher and IV)
        AlgorithmIdentifier pbes2 = new AlgorithmIdentifier(
                PKCSObjectIdentifiers.id_PBES2,
                ASN1Primitive.fromByteArray(cipher.getParameters().getEncoded()));
        return new EncryptedPrivateKeyInfo(pbes2, encrypted);
    }

    private static void write(Path file, PKCS12PfxPduBuilder pfx, char[] password)
            throws IOException, PKCSException, OperatorCreationException {
        byte[] encoded = pfx.build(
                        new BcPKCS12MacCalculatorBuilder(
                                        new SHA256Digest(),
                                        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE))
                                .setIterationCount(STORE_ITERATIONS),
                        password)
                .getEncoded(ASN1Encoding.DER);
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, encoded);
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
