package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.cluster.MemberId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;

/**
 * A member's JGroups address carries its {@link MemberId}: an {@link ExtendedUUID} (a random
 * UUID per connect, as JGroups makes them) with the name and the incarnation (hex) as two
 * extra fields,
 * so every receiver reads the sender's id from the message's source address alone, without a
 * lookup that could miss. Addresses without those fields (not a HiveMesh member) map to null.
 */
final class MemberAddresses {

    static final String NAME_KEY = "hm.name";
    static final String INCARNATION_KEY = "hm.inc";
    private static final int CACHE_LIMIT = 4096;

    private final ConcurrentHashMap<Address, MemberId> cache = new ConcurrentHashMap<>();

    /** A new address for {@code member}. */
    static ExtendedUUID addressOf(MemberId member) {
        ExtendedUUID address = ExtendedUUID.randomUUID(member.name());
        address.put(NAME_KEY, member.name().getBytes(StandardCharsets.UTF_8));
        // as hex text: JGroups prints these fields in logs and thread names
        address.put(INCARNATION_KEY, Long.toHexString(member.incarnation())
                .getBytes(StandardCharsets.US_ASCII));
        return address;
    }

    /** The member an address belongs to, or null if it is not a HiveMesh member's. */
    MemberId memberOf(Address address) {
        if (address == null) {
            return null;
        }
        MemberId known = cache.get(address);
        if (known != null) {
            return known;
        }
        MemberId parsed = parse(address);
        if (parsed != null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(address, parsed);
        }
        return parsed;
    }

    static MemberId parse(Address address) {
        if (!(address instanceof ExtendedUUID extended)) {
            return null;
        }
        byte[] name = extended.get(NAME_KEY);
        byte[] incarnation = extended.get(INCARNATION_KEY);
        if (name == null || incarnation == null || incarnation.length == 0
                || incarnation.length > 16 || name.length == 0
                || name.length > MemberId.MAX_NAME_BYTES) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name)).toString();
            if (text.isBlank()) {
                return null;
            }
            return new MemberId(text, Long.parseUnsignedLong(new String(incarnation,
                    StandardCharsets.US_ASCII), 16));
        } catch (CharacterCodingException | NumberFormatException e) {
            return null;
        }
    }
}
