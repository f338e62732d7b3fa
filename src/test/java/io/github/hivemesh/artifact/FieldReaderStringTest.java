package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The reader's ASCII shortcut for strings gives what the strict UTF-8 decoder gives: the same
 * string for valid bytes, and for malformed ones the same error at the same byte.
 */
class FieldReaderStringTest {

    /** One string field, 1; its bytes are whatever the test packs. */
    static final class Text extends MessagePackCodec<String> {
        Text() {
            super("test.Text", 1);
        }

        @Override
        protected void writeFields(String value, FieldWriter out) {
            out.string(1, value);
        }

        @Override
        protected String readFields(FieldReader in) {
            String value = null;
            while (in.next()) {
                if (in.field() == 1) {
                    value = in.readString();
                } else {
                    in.skip();
                }
            }
            return in.require(value, 1, "text");
        }
    }

    private static final Text CODEC = new Text();

    /** The encoding of a Text whose string field holds exactly {@code raw}. */
    static byte[] withRawString(byte[] raw) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packString("test.Text").packInt(1).packMapHeader(1).packInt(1)
                    .packRawStringHeader(raw.length).writePayload(raw);
            return packer.toByteArray();
        }
    }

    /** The strict decoder alone: the string, or null for bytes that are not UTF-8. */
    static String strict(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Provide
    Arbitrary<byte[]> mostlyAscii() {
        // ASCII with the odd high byte: the shortcut's edge, where it must hand over
        Arbitrary<Byte> ascii = Arbitraries.bytes().between((byte) 0, (byte) 0x7f);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, ascii), net.jqwik.api.Tuple.of(1, any))
                .array(byte[].class).ofMaxSize(300);
    }

    @Property(tries = 2000)
    void readString_randomBytes_sameAsStrictDecoder(@ForAll("mostlyAscii") byte[] raw)
            throws IOException {
        byte[] bytes = withRawString(raw);
        String expected = strict(raw);
        if (expected != null) {
            assertThat(CODEC.decode(bytes)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> CODEC.decode(bytes))
                    .isInstanceOf(ArtifactFormatException.class)
                    .hasMessage("malformed test.Text (at byte " + bytes.length + " of "
                            + bytes.length + "): field 1 is not valid UTF-8")
                    .hasCauseInstanceOf(CharacterCodingException.class);
        }
    }

    @Property(tries = 500)
    void readString_validUnicode_roundTrips(@ForAll String value) {
        assertThat(CODEC.decode(CODEC.encode(value))).isEqualTo(value);
    }

    @Test
    void readString_malformedAfterAscii_failsAsStrictDecoderDoes() throws IOException {
        for (byte[] raw : new byte[][] {
                {'a', 'b', (byte) 0x80},              // a lone continuation byte
                {'a', (byte) 0xc3},                   // truncated two-byte sequence
                {(byte) 0xc0, (byte) 0xaf, 'z'},      // overlong encoding of '/'
                {'x', (byte) 0xed, (byte) 0xa0, (byte) 0x80}, // an encoded surrogate
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                {(byte) 0xff}}) {
            byte[] bytes = withRawString(raw);
            assertThat(strict(raw)).isNull();
            assertThatThrownBy(() -> CODEC.decode(bytes))
                    .isInstanceOf(ArtifactFormatException.class)
                    .hasMessageEndingWith("field 1 is not valid UTF-8");
        }
    }

    @Test
    void readString_nonAscii_decodesAsUtf8() throws IOException {
        assertThat(CODEC.decode(withRawString("naïve ☃ 𝄞".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("naïve ☃ 𝄞");
        assertThat(CODEC.decode(withRawString(new byte[0]))).isEmpty();
    }

    @Test
    void isAscii_boundaries() {
        assertThat(FieldReader.isAscii(new byte[] {0, 0x7f}, 0, 2)).isTrue();
        assertThat(FieldReader.isAscii(new byte[] {0x41, (byte) 0x80}, 0, 2)).isFalse();
        assertThat(FieldReader.isAscii(new byte[] {(byte) 0x80, 0x41}, 1, 1)).isTrue();
    }
}
