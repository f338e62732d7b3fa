package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.cluster.MemberId;
import java.nio.charset.StandardCharsets;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** A member's id travels in its JGroups address; foreign or forged fields map to null. */
class MemberAddressesTest {

    @Test
    void roundTrips_andRejectsWhatIsNotAMembersAddress() {
        MemberId member = new MemberId("näme", -7L);
        ExtendedUUID address = MemberAddresses.addressOf(member);
        MemberAddresses addresses = new MemberAddresses();
        assertThat(addresses.memberOf(address)).isEqualTo(member);
        assertThat(addresses.memberOf(address)).isEqualTo(member);   // cached
        assertThat(addresses.memberOf(null)).isNull();
        assertThat(addresses.memberOf(UUID.randomUUID())).isNull();

        ExtendedUUID noIncarnation = ExtendedUUID.randomUUID("x");
        noIncarnation.put(MemberAddresses.NAME_KEY, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(MemberAddresses.parse(noIncarnation)).isNull();
        ExtendedUUID badHex = MemberAddresses.addressOf(member);
        badHex.put(MemberAddresses.INCARNATION_KEY, "zz".getBytes(StandardCharsets.US_ASCII));
        assertThat(MemberAddresses.parse(badHex)).isNull();
        ExtendedUUID badUtf8 = MemberAddresses.addressOf(member);
        badUtf8.put(MemberAddresses.NAME_KEY, new byte[] {(byte) 0xC3});
        assertThat(MemberAddresses.parse(badUtf8)).isNull();
        ExtendedUUID blank = MemberAddresses.addressOf(member);
        blank.put(MemberAddresses.NAME_KEY, " ".getBytes(StandardCharsets.UTF_8));
        assertThat(MemberAddresses.parse(blank)).isNull();
    }
}
