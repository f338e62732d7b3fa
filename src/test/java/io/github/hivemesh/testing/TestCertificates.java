package io.github.hivemesh.testing;

import io.github.hivemesh.cluster.ClusterTls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-made PKI for the mutual TLS tests: a certificate authority and member certificates it
 * signs (EC P-256, valid for a day), written as PKCS12 key and trust stores into a directory of
 * the test's. Nothing here is a secret worth keeping: every run makes new keys.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.authority(dir, "cluster-ca");
 * ClusterTls tls = ca.member("m0");        // m0's key + chain, trusting only this CA
 * }</pre>
 */
public final class TestCertificates {

    /** Password of every store written here. */
    public static final char[] PASSWORD = "test-only".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Path trustStore;

    private TestCertificates(Path dir, String name, KeyPair keys, X509Certificate certificate) {
        this.dir = dir;
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
        this.trustStore = dir.resolve(name + "-trust.p12");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(name, certificate);
            write(store, trustStore);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new self-signed certificate authority named {@code name}. */
    public static TestCertificates authority(Path dir, String name) {
        KeyPair keys = keyPair();
        X509Certificate certificate = sign(name, keys, name, keys, true);
        return new TestCertificates(dir, name, keys, certificate);
    }

    /** The trust store holding this authority's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /** This authority's certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A key store for {@code member}: its new key and a certificate this authority signed. */
    public Path memberKeyStore(String member) {
        KeyPair memberKeys = keyPair();
        X509Certificate memberCert = sign(member, memberKeys, name, keys, false);
        Path file = dir.resolve(name + "-" + member + "-keys.p12");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(member, memberKeys.getPrivate(), PASSWORD,
                    new Certificate[] {memberCert, certificate});
            write(store, file);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** TLS for {@code member}: a key store signed by this authority, trusting {@code trusted}. */
    public ClusterTls member(String member, TestCertificates trusted) {
        return ClusterTls.builder().keyStore(memberKeyStore(member), "PKCS12", PASSWORD)
                .trustStore(trusted.trustStore(), "PKCS12", PASSWORD).build();
    }

    /** TLS for {@code member}: signed by and trusting this authority. */
    public ClusterTls member(String member) {
        return member(member, this);
    }

    private static void write(KeyStore store, Path file) throws GeneralSecurityException,
            IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer,
            KeyPair issuerKeys, boolean authority) {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + subject), subjectKeys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true,
                    new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                            KeyPurposeId.id_kp_clientAuth}));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(
                            issuerKeys.getPrivate())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
