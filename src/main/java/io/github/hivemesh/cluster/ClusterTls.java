package io.github.hivemesh.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS for the cluster transport: this member's key and certificate (a key store) and
 * the certificates it trusts (a trust store, typically the cluster's CA), or a ready
 * {@link SSLContext}. Every connection is authenticated both ways (the accepting side requires
 * a client certificate), encrypted and integrity-protected; a peer whose certificate the trust
 * store does not vouch for cannot connect, so it cannot join, send or receive.
 *
 * <p>Immutable. Passwords are copied in and never printed; {@link #sslContext()} reads the
 * stores each time it is called (at transport start).
 */
public final class ClusterTls {

    /** TLS versions a member accepts. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final Store keyStore;
    private final Store trustStore;
    private final List<String> protocols;

    private ClusterTls(Builder b) {
        this.context = b.context;
        this.keyStore = b.keyStore;
        this.trustStore = b.trustStore;
        this.protocols = b.protocols;
    }

    /** {@return a builder: key store and trust store, or an SSL context} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * TLS from a ready context (its key managers must hold this member's key), TLS 1.3 only.
     *
     * @param context the context
     * @return the TLS settings
     */
    public static ClusterTls of(SSLContext context) {
        return builder().sslContext(context).build();
    }

    /** A key or trust store file. */
    private static final class Store {
        final Path path;
        final String type;
        final char[] password;

        Store(Path path, String type, char[] password) {
            this.path = path;
            this.type = type;
            this.password = password.clone();
        }

        KeyStore load(String role) {
            try (InputStream in = Files.newInputStream(path)) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, password);
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new ClusterException("cannot read the TLS " + role + " " + path + " (type "
                        + type + "): " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return path + " (" + type + ")";
        }
    }

    /** {@return the key store's file, when TLS is configured from stores} */
    public Optional<Path> keyStorePath() {
        return keyStore == null ? Optional.empty() : Optional.of(keyStore.path);
    }

    /** {@return the trust store's file, when TLS is configured from stores} */
    public Optional<Path> trustStorePath() {
        return trustStore == null ? Optional.empty() : Optional.of(trustStore.path);
    }

    /**
     * This member's key and certificate chain from the key store, for binding the member's
     * identity to its certificate (see {@code docs/cluster.md}, "Member identity"); empty when
     * TLS comes from a ready {@link SSLContext}, whose keys cannot be read back.
     *
     * @return the key store's (first) private key entry, read now
     * @throws ClusterException if the store cannot be read or holds no private key
     */
    public Optional<KeyStore.PrivateKeyEntry> memberKey() {
        if (keyStore == null) {
            return Optional.empty();
        }
        KeyStore keys = keyStore.load("key store");
        try {
            for (String alias : java.util.Collections.list(keys.aliases())) {
                if (keys.isKeyEntry(alias)) {
                    KeyStore.Entry entry = keys.getEntry(alias,
                            new KeyStore.PasswordProtection(keyStore.password));
                    if (entry instanceof KeyStore.PrivateKeyEntry key) {
                        return Optional.of(key);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot read the key of TLS key store " + keyStore + ": "
                    + e.getMessage(), e);
        }
        throw new ClusterException("the TLS key store " + keyStore
                + " holds no private key: this member could not prove who it is");
    }

    /**
     * The certificates of the trust store (those TLS trusts), read now; empty when TLS comes
     * from a ready {@link SSLContext}.
     *
     * @return the trusted certificates
     * @throws ClusterException if the store cannot be read
     */
    public List<X509Certificate> trustedCertificates() {
        if (trustStore == null) {
            return List.of();
        }
        KeyStore trusted = trustStore.load("trust store");
        List<X509Certificate> certificates = new java.util.ArrayList<>();
        try {
            for (String alias : java.util.Collections.list(trusted.aliases())) {
                if (trusted.getCertificate(alias) instanceof X509Certificate certificate) {
                    certificates.add(certificate);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot read TLS trust store " + trustStore + ": "
                    + e.getMessage(), e);
        }
        return List.copyOf(certificates);
    }

    /** {@return the TLS versions accepted (default TLS 1.3 only)} */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * {@return the context: the given one, or one made from the stores (the JDK's default key and
     * trust manager algorithms)}
     *
     * @throws ClusterException if a store cannot be read, a password is wrong, the key store has no
     *     key or the trust store no certificate
     */
    public SSLContext sslContext() {
        if (context != null) {
            return context;
        }
        KeyStore keys = keyStore.load("key store");
        KeyStore trusted = trustStore.load("trust store");
        try {
            if (!hasKey(keys)) {
                throw new ClusterException("the TLS key store " + keyStore
                        + " holds no private key: this member could not prove who it is");
            }
            if (trusted.size() == 0) {
                throw new ClusterException("the TLS trust store " + trustStore
                        + " holds no certificate: it would trust no member");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(
                    KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyStore.password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext made = SSLContext.getInstance("TLS");
            made.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return made;
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot set up TLS from key store " + keyStore
                    + " and trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return context != null ? "ClusterTls[sslContext=" + context.getProtocol()
                + ", protocols=" + protocols + "]"
                : "ClusterTls[keyStore=" + keyStore + ", trustStore=" + trustStore
                        + ", protocols=" + protocols + "]";
    }

    /** Builds a {@link ClusterTls}; validates at {@link #build()}. */
    public static final class Builder {
        private SSLContext context;
        private Store keyStore;
        private Store trustStore;
        private List<String> protocols = List.of("TLSv1.3");

        private Builder() {
        }

        /**
         * This member's key and certificate chain.
         *
         * @param path the path
         * @param type a {@link KeyStore} type, e.g. {@code PKCS12}
         * @param password the store's password, also the key's
         * @return this builder
         */
        public Builder keyStore(Path path, String type, char[] password) {
            this.keyStore = store(path, type, password);
            return this;
        }

        /**
         * The certificates this member trusts (e.g. the cluster CA's).
         *
         * @param path the path
         * @param type a {@link KeyStore} type, e.g. {@code PKCS12}
         * @param password the store's password
         * @return this builder
         */
        public Builder trustStore(Path path, String type, char[] password) {
            this.trustStore = store(path, type, password);
            return this;
        }

        /**
         * A ready context instead of stores.
         *
         * @param context the context: the given one, or one made from the stores (the JDK's default
         *     key and trust manager algorithms)
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The TLS versions accepted, from {@link #SUPPORTED_PROTOCOLS} (default TLS 1.3).
         *
         * @param protocols the TLS versions accepted (default TLS 1.3 only)
         * @return this builder
         */
        public Builder protocols(String... protocols) {
            Objects.requireNonNull(protocols, "protocols");
            this.protocols = List.of(protocols);
            return this;
        }

        private static Store store(Path path, String type, char[] password) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(password, "password");
            return new Store(path, type, password);
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code ClusterTls} with this builder's settings
         */
        public ClusterTls build() {
            if (context != null && (keyStore != null || trustStore != null)) {
                throw new IllegalArgumentException(
                        "sslContext and keyStore/trustStore are alternatives: give one");
            }
            if (context == null) {
                if (keyStore == null) {
                    throw new IllegalArgumentException("keyStore must be set (mutual TLS needs "
                            + "this member's key), or give an sslContext");
                }
                if (trustStore == null) {
                    throw new IllegalArgumentException("trustStore must be set (the "
                            + "certificates this member trusts), or give an sslContext");
                }
                for (Store store : List.of(keyStore, trustStore)) {
                    if (!Files.isReadable(store.path) || Files.isDirectory(store.path)) {
                        throw new IllegalArgumentException((store == keyStore ? "keyStore"
                                : "trustStore") + " must be a readable file, was " + store.path);
                    }
                }
            }
            if (protocols.isEmpty() || !SUPPORTED_PROTOCOLS.containsAll(protocols)) {
                throw new IllegalArgumentException("protocols must be a non-empty subset of "
                        + SUPPORTED_PROTOCOLS + ", was " + Arrays.toString(protocols.toArray()));
            }
            return new ClusterTls(this);
        }
    }
}
