package dev.gatehouse.revoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.DeviceState;
import dev.gatehouse.policy.Identity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lookups of {@link RevocationSet}: by user at one IdP or any, by device, by session; expiry. */
class RevocationSetTest {
    static final long NOW = 1_800_000_000_000L;

    static Revocation of(Revocation.Kind kind, String target, String idp, long expiresMs) {
        return new Revocation("rv-" + target, kind, target, idp, Instant.ofEpochMilli(expiresMs), null,
                Instant.ofEpochMilli(NOW - 1000), "admin", "corp");
    }

    static Identity who(String sub, String device) {
        return new Identity(sub, null, false, null, null, null, null, null,
                device == null ? DeviceState.NONE : new DeviceState(true, device, true, null, null, null), null);
    }

    @Test
    void theEmptySetMatchesNothing() {
        assertThat(RevocationSet.EMPTY.match("corp", who("alice", "d1"), "s1", NOW)).isNull();
        assertThat(RevocationSet.of(List.of())).isSameAs(RevocationSet.EMPTY);
    }

    @Test
    void aUserIsRevokedAtItsIdpOnlyOrAtEveryIdp() {
        RevocationSet set = RevocationSet.of(List.of(
                of(Revocation.Kind.USER, "alice", "corp", NOW + 60_000),
                of(Revocation.Kind.USER, "bob", null, NOW + 60_000)));
        assertThat(set.match("corp", who("alice", null), null, NOW)).isNotNull();
        assertThat(set.match("partner", who("alice", null), null, NOW)).as("another IdP's alice").isNull();
        assertThat(set.match("corp", who("bob", null), null, NOW)).isNotNull();
        assertThat(set.match("partner", who("bob", null), null, NOW)).isNotNull();
        assertThat(set.match("corp", who("carol", null), null, NOW)).isNull();
        assertThat(set.match("corp", null, null, NOW)).isNull();
    }

    @Test
    void devicesAndSessions() {
        RevocationSet set = RevocationSet.of(List.of(
                of(Revocation.Kind.DEVICE, "stolen-laptop", null, NOW + 60_000),
                of(Revocation.Kind.SESSION, "s-42", null, NOW + 60_000)));
        assertThat(set.match("corp", who("alice", "stolen-laptop"), null, NOW).kind()).isEqualTo(Revocation.Kind.DEVICE);
        assertThat(set.match("corp", who("alice", "other"), null, NOW)).isNull();
        assertThat(set.match("corp", who("alice", null), "s-42", NOW).kind()).isEqualTo(Revocation.Kind.SESSION);
        assertThat(set.match("corp", who("alice", null), "s-43", NOW)).isNull();
    }

    @Test
    void anExpiredRevocationNoLongerMatchesAndTheLongerOfTwoWins() {
        RevocationSet set = RevocationSet.of(List.of(
                of(Revocation.Kind.USER, "alice", "corp", NOW + 1_000),
                new Revocation("rv-2", Revocation.Kind.USER, "alice", "corp", Instant.ofEpochMilli(NOW + 9_000),
                        null, Instant.ofEpochMilli(NOW), null, null),
                of(Revocation.Kind.DEVICE, "d", null, NOW - 1)));
        assertThat(set.match("corp", who("alice", "d"), null, NOW + 5_000).id()).isEqualTo("rv-2");
        assertThat(set.match("corp", who("alice", "d"), null, NOW + 9_000)).isNull();
        assertThat(set.activeCount(NOW)).isEqualTo(2);
        assertThat(set.activeCount(NOW + 9_000)).isZero();
    }
}
