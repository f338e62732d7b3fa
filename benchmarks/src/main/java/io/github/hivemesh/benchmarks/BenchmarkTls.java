package io.github.hivemesh.benchmarks;

import io.github.hivemesh.cluster.ClusterTls;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA and member certificates (EC P-256) for the cluster benchmarks' mutual TLS:
 * each {@link #member} is an {@link SSLContext} with its own key, signed by the CA, trusting
 * only the CA; {@link #memberStores} writes the same as PKCS12 stores in a temporary directory,
 * the form of {@link ClusterTls} that also binds member identity to the certificate.
 */
final class BenchmarkTls {

    private static final char[] PASSWORD = "benchmark".toCharArray();

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private long serial = 1;

    BenchmarkTls() throws Exception {
        caKeys = keys();
        ca = sign("bench-ca", caKeys, caKeys, true);
    }

    SSLContext member(String name) throws Exception {
        KeyStore keyStore = keyStore(name);
        KeyStore trustStore = trustStore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(
                KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** TLS from key and trust stores written for {@code name}: identity binding on. */
    ClusterTls memberStores(String name) throws Exception {
        Path dir = Files.createTempDirectory("hivemesh-bench-tls");
        Path keys = write(keyStore(name), dir.resolve(name + ".p12"));
        Path trust = write(trustStore(), dir.resolve("trust.p12"));
        return ClusterTls.builder().keyStore(keys, "PKCS12", PASSWORD)
                .trustStore(trust, "PKCS12", PASSWORD).build();
    }

    private KeyStore keyStore(String name) throws Exception {
        KeyPair keys = keys();
        X509Certificate cert = sign(name, keys, caKeys, false);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(name, keys.getPrivate(), PASSWORD, new Certificate[] {cert, ca});
        return keyStore;
    }

    private KeyStore trustStore() throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca);
        return trustStore;
    }

    private static Path write(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        file.toFile().deleteOnExit();
        file.getParent().toFile().deleteOnExit();
        return file;
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private X509Certificate sign(String subject, KeyPair subjectKeys, KeyPair issuerKeys,
            boolean authority) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name("CN=bench-ca"), BigInteger.valueOf(serial++),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
