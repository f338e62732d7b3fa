package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * What a member says of itself to every other member when identity is bound to certificates
 * ({@link MemberIdentity}): in cluster {@code cluster} it is {@code name}, incarnation
 * {@code incarnation}, its link key for this incarnation is {@code linkKey} (X25519, X.509
 * encoding), and its certificate chain is {@code chain} (a {@code PkiPath}, leaf first). It
 * travels {@linkplain Signed signed} with the chain's leaf key.
 */
record IdentityStatement(String cluster, String name, long incarnation, byte[] linkKey,
        byte[] chain) {

    /** Bytes a statement may hold: chains of a few certificates, a 44-byte key. */
    static final DecodeLimits LIMITS = DecodeLimits.builder().maxInputBytes(64 << 10)
            .maxBinaryBytes(32 << 10).maxStringBytes(1 << 10).build();

    /** The statement's bytes and the signature over exactly them. */
    record Signed(byte[] statement, byte[] signature) {
    }

    /**
     * Codec of a statement, type {@code "hivemesh.cluster.Identity"}, version 1: 1 cluster (s),
     * 2 name (s), 3 incarnation (l), 4 link key (b), 5 chain (b), all required.
     */
    static final class Codec extends MessagePackCodec<IdentityStatement> {
        static final Codec INSTANCE = new Codec();

        private Codec() {
            super("hivemesh.cluster.Identity", 1);
        }

        @Override
        protected void writeFields(IdentityStatement s, FieldWriter out) {
            out.string(1, s.cluster()).string(2, s.name()).int64(3, s.incarnation())
                    .binary(4, s.linkKey()).binary(5, s.chain());
        }

        @Override
        protected IdentityStatement readFields(FieldReader in) {
            String cluster = null;
            String name = null;
            Long incarnation = null;
            byte[] key = null;
            byte[] chain = null;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> cluster = in.readString();
                    case 2 -> name = in.readString();
                    case 3 -> incarnation = in.readLong();
                    case 4 -> key = in.readBinary();
                    case 5 -> chain = in.readBinary();
                    default -> in.skip();
                }
            }
            return new IdentityStatement(in.require(cluster, 1, "cluster"),
                    in.require(name, 2, "name"), in.require(incarnation, 3, "incarnation"),
                    in.require(key, 4, "linkKey"), in.require(chain, 5, "chain"));
        }
    }

    /**
     * Codec of a signed statement, type {@code "hivemesh.cluster.SignedIdentity"}, version 1:
     * 1 statement (b, an encoded {@link Codec} value), 2 signature (b), both required.
     */
    static final class SignedCodec extends MessagePackCodec<Signed> {
        static final SignedCodec INSTANCE = new SignedCodec();

        private SignedCodec() {
            super("hivemesh.cluster.SignedIdentity", 1);
        }

        @Override
        protected void writeFields(Signed s, FieldWriter out) {
            out.binary(1, s.statement()).binary(2, s.signature());
        }

        @Override
        protected Signed readFields(FieldReader in) {
            byte[] statement = null;
            byte[] signature = null;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> statement = in.readBinary();
                    case 2 -> signature = in.readBinary();
                    default -> in.skip();
                }
            }
            return new Signed(in.require(statement, 1, "statement"),
                    in.require(signature, 2, "signature"));
        }
    }
}
