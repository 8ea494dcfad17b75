package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.ClaimList;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A cached identity shares its group, role and amr lists with other identities, and says the same. */
class CompactIdentityTest {
    private static Identity identity(String sub) {
        return IdentityFactory.fromClaims(CompactClaims.of(new JsonObject("{\"sub\":\"" + sub + "\",\"email\":\"" + sub
                + "@example.com\",\"email_verified\":true,\"groups\":[\"staff\",\"engineering\"],\"amr\":[\"pwd\"],"
                + "\"acr\":\"1\",\"auth_time\":1700000000,\"device_id\":\"d-" + sub + "\",\"device_compliant\":true,"
                + "\"name\":\"N " + sub + "\"}").getMap()), ClaimPaths.DEFAULTS, false);
    }

    @Test
    void equalListsAreSharedAndEveryOtherFactIsKept() {
        Identity plain = identity("alice");
        Identity a = CompactIdentity.of(plain);
        Identity b = CompactIdentity.of(identity("bob"));
        assertThat(a).isEqualTo(plain);
        assertThat(a.groupsClaim()).isSameAs(b.groupsClaim());
        assertThat(a.amrClaim()).isSameAs(b.amrClaim());
        assertThat(a.rolesClaim()).isSameAs(ClaimList.UNKNOWN);
        assertThat(a.subject()).isEqualTo("alice");
        assertThat(b.device().id()).isEqualTo("d-bob");
    }

    @Test
    void anIncompleteListIsNotTheCompleteOneWithTheSameNames() {
        ClaimList complete = new ClaimList(java.util.List.of("x-only"), true);
        ClaimList incomplete = new ClaimList(java.util.List.of("x-only"), false);
        Identity a = CompactIdentity.of(new Identity("a", null, false, complete, null, null, null, null, null, null));
        Identity b = CompactIdentity.of(new Identity("b", null, false, incomplete, null, null, null, null, null, null));
        assertThat(a.groupsClaim().complete()).isTrue();
        assertThat(b.groupsClaim().complete()).isFalse();
    }
}
