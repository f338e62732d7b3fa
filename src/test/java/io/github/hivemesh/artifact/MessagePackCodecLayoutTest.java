package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * An encode writes the header, the field map's header and the fields into one array: the
 * bytes are those msgpack-core's packer writes for the same values, field count and map header
 * form included (fixmap up to 15 fields, map16 above).
 */
class MessagePackCodecLayoutTest {

    /** As many long fields as the list has, numbered from 1. */
    static final class Longs extends MessagePackCodec<List<Long>> {
        Longs() {
            super("test.Longs", 7);
        }

        @Override
        protected void writeFields(List<Long> values, FieldWriter out) {
            for (int i = 0; i < values.size(); i++) {
                out.int64(i + 1, values.get(i));
            }
        }

        @Override
        protected List<Long> readFields(FieldReader in) {
            java.util.ArrayList<Long> values = new java.util.ArrayList<>();
            while (in.next()) {
                values.add(in.readLong());
            }
            return values;
        }
    }

    @Property(tries = 300)
    void encode_sameBytesAsOnePacker(@ForAll @Size(max = 600) List<Long> values,
            @ForAll @IntRange(min = 0, max = 3) int repeat) throws IOException {
        // repeat stretches some lists past 16 and past the packer's 256-byte buffer
        java.util.ArrayList<Long> all = new java.util.ArrayList<>();
        for (int r = 0; r <= repeat; r++) {
            all.addAll(values);
        }
        byte[] expected;
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packString("test.Longs").packInt(7).packMapHeader(all.size());
            for (int i = 0; i < all.size(); i++) {
                packer.packInt(i + 1).packLong(all.get(i));
            }
            expected = packer.toByteArray();
        }
        Longs codec = new Longs();
        assertThat(codec.encode(all)).isEqualTo(expected);
        assertThat(codec.decode(expected)).isEqualTo(all);
    }
}
