package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterTls;
import io.github.hivemesh.cluster.MemberId;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.x500.X500Principal;

/**
 * A member's identity bound to its certificate, closing what TLS leaves open: JGroups does
 * not tie a member's address (and so its {@link MemberId}) to the certificate its TLS
 * connection presented, so a member holding any trusted certificate could send as another.
 *
 * <h2>The scheme</h2>
 * At start a member makes a fresh X25519 key pair (RFC 7748) for this incarnation and signs an
 * {@link IdentityStatement} — cluster, name, incarnation, the X25519 public key, its certificate
 * chain — with its certificate's private key. Each member sends its statement to every member
 * it sees, before anything else on that pair. A receiver accepts a statement only if the chain
 * validates (PKIX) against the trust store, the signature verifies with the leaf's key, the
 * leaf's subject CN (or a DNS subject alternative name) is the member's name, and name and
 * incarnation are those of the address it came from. The two members then derive, from the
 * X25519 shared secret, one key per direction with HKDF-SHA256 (RFC 5869), the info naming
 * both members and the direction; every later frame of the pair carries a sequence number and
 * an HMAC-SHA256 tag (RFC 2104) under the sender's direction key ({@link SealedLink}). A
 * member that claims another's name cannot sign its statement (it lacks a certificate of that
 * name); one that sends with another's address cannot compute that pair's tags (it lacks that
 * member's X25519 private key) — what it sends is dropped and counted.
 *
 * <p>Immutable and thread-safe, except {@link #statement()}'s array, which callers must not
 * change.
 */
final class MemberIdentity {

    /** Certificates in a chain. */
    private static final int MAX_CHAIN = 8;
    private static final byte[] ZERO_SALT = new byte[32];

    private final String cluster;
    private final MemberId self;
    private final KeyPair link;
    private final Set<TrustAnchor> anchors;
    private final Set<X509Certificate> anchorCertificates;
    private final byte[] statement;

    private MemberIdentity(String cluster, MemberId self, KeyPair link, Set<TrustAnchor> anchors,
            Set<X509Certificate> anchorCertificates, byte[] statement) {
        this.cluster = cluster;
        this.self = self;
        this.link = link;
        this.anchors = anchors;
        this.anchorCertificates = anchorCertificates;
        this.statement = statement;
    }

    /**
     * The identity of {@code self} from the key store of {@code tls}, or null when TLS comes
     * from a ready SSL context (there is no key to sign with).
     *
     * @throws ClusterException if the stores cannot be read, the certificate does not name
     *                          {@code self}, or its key cannot sign
     */
    static MemberIdentity of(ClusterTls tls, String cluster, MemberId self) {
        KeyStore.PrivateKeyEntry key = tls.memberKey().orElse(null);
        if (key == null) {
            return null;
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : key.getCertificateChain()) {
                chain.add((X509Certificate) certificate);
            }
            if (!names(chain.get(0)).contains(self.name())) {
                throw new ClusterException("this member is named '" + self.name() + "' but its "
                        + "certificate (" + chain.get(0).getSubjectX500Principal() + ") does not "
                        + "name it: with identity bound to certificates, the member name must be "
                        + "the certificate's CN or one of its DNS names");
            }
            Set<TrustAnchor> anchors = new HashSet<>();
            Set<X509Certificate> anchorCertificates = new HashSet<>(tls.trustedCertificates());
            for (X509Certificate certificate : anchorCertificates) {
                anchors.add(new TrustAnchor(certificate, null));
            }
            if (anchors.isEmpty()) {
                throw new ClusterException("the TLS trust store holds no certificate");
            }
            KeyPair link = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            CertPath path = CertificateFactory.getInstance("X.509")
                    .generateCertPath(withoutAnchors(chain, anchorCertificates));
            byte[] body = IdentityStatement.Codec.INSTANCE.encode(new IdentityStatement(cluster,
                    self.name(), self.incarnation(), link.getPublic().getEncoded(),
                    path.getEncoded("PkiPath")));
            Signature signer = Signature.getInstance(signatureAlgorithm(key.getPrivateKey()));
            signer.initSign(key.getPrivateKey());
            signer.update(body);
            byte[] signed = IdentityStatement.SignedCodec.INSTANCE.encode(
                    new IdentityStatement.Signed(body, signer.sign()));
            return new MemberIdentity(cluster, self, link, Set.copyOf(anchors),
                    Set.copyOf(anchorCertificates), signed);
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot bind member " + self + " to its certificate: "
                    + e.getMessage(), e);
        }
    }

    /** This member's signed statement, to send to every other member. */
    byte[] statement() {
        return statement;
    }

    /**
     * Checks the signed statement {@code bytes} that came from the address of {@code from}
     * and, if it holds, returns the pair's link with {@code from}.
     *
     * @throws IllegalArgumentException naming what does not hold
     */
    SealedLink verify(byte[] bytes, MemberId from) {
        IdentityStatement.Signed signed;
        IdentityStatement said;
        try {
            signed = IdentityStatement.SignedCodec.INSTANCE.decode(bytes,
                    IdentityStatement.LIMITS);
            said = IdentityStatement.Codec.INSTANCE.decode(signed.statement(),
                    IdentityStatement.LIMITS);
        } catch (ArtifactFormatException e) {
            throw new IllegalArgumentException("a statement from " + from
                    + " does not decode: " + e.getMessage(), e);
        }
        if (!said.cluster().equals(cluster) || !said.name().equals(from.name())
                || said.incarnation() != from.incarnation()) {
            throw new IllegalArgumentException("a statement of " + said.name() + " in cluster '"
                    + said.cluster() + "' came from the address of " + from);
        }
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(
                    new ByteArrayInputStream(said.chain()), "PkiPath");
            if (path.getCertificates().isEmpty() || path.getCertificates().size() > MAX_CHAIN) {
                throw new IllegalArgumentException("a chain of 1 to " + MAX_CHAIN
                        + " certificates was expected, was " + path.getCertificates().size());
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            // revocation needs the network; a cluster's CA decides by issuing short-lived ones
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
            X509Certificate leaf = (X509Certificate) path.getCertificates().get(0);
            if (!names(leaf).contains(from.name())) {
                throw new IllegalArgumentException("member " + from + " presented a certificate "
                        + "of " + leaf.getSubjectX500Principal() + ", not of its name");
            }
            Signature verifier = Signature.getInstance(signatureAlgorithm(leaf.getPublicKey()));
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(signed.statement());
            if (!verifier.verify(signed.signature())) {
                throw new IllegalArgumentException("the statement of " + from
                        + " does not verify with its certificate's key");
            }
            PublicKey theirs = KeyFactory.getInstance("X25519")
                    .generatePublic(new X509EncodedKeySpec(said.linkKey()));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(link.getPrivate());
            agreement.doPhase(theirs, true);
            byte[] shared = agreement.generateSecret();
            byte[] prk = hmac(ZERO_SALT, shared);
            Arrays.fill(shared, (byte) 0);
            SealedLink sealed = new SealedLink(expand(prk, self, from), expand(prk, from, self));
            Arrays.fill(prk, (byte) 0);
            return sealed;
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new IllegalArgumentException("the statement of " + from + " does not hold: "
                    + e.getMessage(), e);
        }
    }

    /** HKDF-Expand (one block): the key of the direction {@code sender → receiver}. */
    private byte[] expand(byte[] prk, MemberId sender, MemberId receiver)
            throws GeneralSecurityException {
        byte[] info = ("hivemesh link v1 " + cluster + " " + sender + " > " + receiver)
                .getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(info, info.length + 1);
        input[info.length] = 1;
        return hmac(prk, input);
    }

    static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static List<X509Certificate> withoutAnchors(List<X509Certificate> chain,
            Set<X509Certificate> anchors) {
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && anchors.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        return path;
    }

    /** The names a certificate gives its holder: its subject's CNs and its DNS names. */
    static Set<String> names(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        // RFC 2253 form: attributes separated by unescaped commas, values escaped with '\\'
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        StringBuilder attribute = new StringBuilder();
        for (int i = 0; i <= subject.length(); i++) {
            char c = i < subject.length() ? subject.charAt(i) : ',';
            if (c == '\\' && i + 1 < subject.length()) {
                attribute.append(subject.charAt(++i));
            } else if (c == ',' || c == '+') {
                String text = attribute.toString();
                if (text.regionMatches(true, 0, "CN=", 0, 3)) {
                    names.add(text.substring(3));
                }
                attribute.setLength(0);
            } else {
                attribute.append(c);
            }
        }
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    if (entry.size() == 2 && Integer.valueOf(2).equals(entry.get(0))) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return names;
        }
        return names;
    }

    private static String signatureAlgorithm(java.security.Key key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ClusterException("a certificate key of algorithm "
                    + key.getAlgorithm() + " cannot sign identity statements (EC, RSA or "
                    + "Ed25519 can)");
        };
    }
}
