package dev.gatehouse.policy;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityFactoryTest {

    private static Identity of(Map<String, Object> claims) {
        return IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS, false);
    }

    @Test
    void readsTheStandardClaims() {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", "u1", "email", "Ann@Example.com", "email_verified", true,
                "groups", List.of("eng", "ops"), "realm_access", Map.of("roles", List.of("admin")),
                "amr", List.of("pwd", "otp"), "acr", "gold", "auth_time", 1_700_000_000L));
        Identity id = of(claims);
        assertThat(id.subject()).isEqualTo("u1");
        assertThat(id.email()).isEqualTo("Ann@Example.com");
        assertThat(id.emailUnverified()).isFalse();
        assertThat(id.groups()).containsExactly("eng", "ops");
        assertThat(id.groupsClaim().complete()).isTrue();
        assertThat(id.roles()).containsExactly("admin");
        assertThat(id.rolesClaim().complete()).isTrue();
        assertThat(id.amr()).containsExactly("pwd", "otp");
        assertThat(id.amrClaim().complete()).isTrue();
        assertThat(id.acr()).isEqualTo("gold");
        assertThat(id.authTimeEpochSeconds()).isEqualTo(1_700_000_000L);
        assertThat(id.device()).isEqualTo(DeviceState.NONE);
        assertThat(id.claims()).containsKey("realm_access");
    }

    @Test
    void singleStringGroupIsAOneElementList() {
        assertThat(of(Map.of("groups", "eng")).groupsClaim()).isEqualTo(ClaimList.of(List.of("eng")));
        assertThat(of(Map.of("amr", "mfa")).amrClaim()).isEqualTo(ClaimList.of(List.of("mfa")));
    }

    @Test
    void missingOrMalformedListsAreUnknownNotEmpty() {
        // one non-string element makes the whole claim malformed: no part of it is believed
        assertThat(of(Map.of("groups", List.of("eng", 1, true, List.of("x"), "ops"))).groupsClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(of(Map.of("groups", 42)).groupsClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(of(Map.of("groups", Map.of("a", "b"))).groupsClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(of(Map.of()).groupsClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(of(Map.of()).groups()).as("upstreams still get a list").isEmpty();
        assertThat(of(Map.of("realm_access", "admin")).rolesClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(of(Map.of("amr", List.of("pwd", 1))).amrClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(of(Map.of()).amrClaim()).isEqualTo(ClaimList.UNKNOWN);
        // an empty list is a complete answer: no groups
        assertThat(of(Map.of("groups", List.of())).groupsClaim()).isEqualTo(ClaimList.of(List.of()));
    }

    @Test
    void claimNamesMarkGroupsAndRolesIncomplete() {
        // Entra ID group overage: the groups list is replaced by a pointer to Microsoft Graph
        Map<String, Object> overage = Map.of("sub", "u", "_claim_names", Map.of("groups", "src1"),
                "_claim_sources", Map.of("src1", Map.of("endpoint", "https://graph.microsoft.com/v1.0/users/u/getMemberObjects")));
        assertThat(of(overage).groupsClaim()).isEqualTo(ClaimList.UNKNOWN);
        Map<String, Object> partial = Map.of("groups", List.of("eng"), "_claim_names", Map.of("groups", "src1"));
        assertThat(of(partial).groupsClaim()).isEqualTo(new ClaimList(List.of("eng"), false));
        // a dotted path is incomplete when its top-level claim or the whole path is named
        Map<String, Object> roles = Map.of("realm_access", Map.of("roles", List.of("admin")),
                "_claim_names", Map.of("realm_access", "src1"));
        assertThat(of(roles).rolesClaim()).isEqualTo(new ClaimList(List.of("admin"), false));
        Map<String, Object> byPath = Map.of("realm_access", Map.of("roles", List.of("admin")),
                "_claim_names", Map.of("realm_access.roles", "src1"));
        assertThat(of(byPath).rolesClaim().complete()).isFalse();
        // naming another claim, or a _claim_names that is not an object, changes nothing
        assertThat(of(Map.of("groups", List.of("eng"), "_claim_names", Map.of("roles", "s"))).groupsClaim().complete()).isTrue();
        assertThat(of(Map.of("groups", List.of("eng"), "_claim_names", "groups")).groupsClaim().complete()).isTrue();
        // amr has no notion of distribution here
        assertThat(of(Map.of("amr", List.of("pwd"), "_claim_names", Map.of("amr", "s"))).amrClaim().complete()).isTrue();
    }

    @Test
    void scalarsAreTypeStrict() {
        Identity id = of(Map.of("sub", 123, "email", List.of("a@b.c"), "email_verified", true, "acr", 1, "auth_time", "1700000000"));
        assertThat(id.subject()).isNull();
        assertThat(id.email()).isNull();
        assertThat(id.emailUnverified()).as("a non-string email is no email at all").isFalse();
        assertThat(id.acr()).isNull();
        assertThat(id.authTimeEpochSeconds()).isNull();
        assertThat(of(Map.of("auth_time", 1.7e9)).authTimeEpochSeconds()).isNull();
        assertThat(of(Map.of("auth_time", 1_700_000_000)).authTimeEpochSeconds()).isEqualTo(1_700_000_000L);
        assertThat(of(Map.of("auth_time", BigInteger.valueOf(5))).authTimeEpochSeconds()).isEqualTo(5L);
        assertThat(of(Map.of("auth_time", BigInteger.TWO.pow(70))).authTimeEpochSeconds()).isNull();
    }

    @Test
    void emailCountsOnlyWhenVerifiedOrTrusted() {
        assertThat(of(Map.of("email", "a@b.c", "email_verified", true)).email()).isEqualTo("a@b.c");
        for (Object notTrue : List.of(false, "true", 1, List.of(true))) {
            Identity id = of(Map.of("email", "a@b.c", "email_verified", notTrue));
            assertThat(id.email()).as("email with email_verified %s", notTrue).isNull();
            assertThat(id.emailUnverified()).isTrue();
        }
        Identity unverified = of(Map.of("email", "a@b.c"));
        assertThat(unverified.email()).isNull();
        assertThat(unverified.emailUnverified()).isTrue();
        Identity trusted = IdentityFactory.fromClaims(Map.of("email", "a@b.c"), ClaimPaths.DEFAULTS, true);
        assertThat(trusted.email()).isEqualTo("a@b.c");
        assertThat(trusted.emailUnverified()).isFalse();
        // trust-email trusts the IdP's verification, not a token that says it did not verify
        assertThat(IdentityFactory.fromClaims(Map.of("email", "a@b.c", "email_verified", false), ClaimPaths.DEFAULTS, true)
                .email()).isEqualTo("a@b.c");
        assertThat(of(Map.of("email", "", "email_verified", true)).email()).isNull();
        assertThat(of(Map.of()).emailUnverified()).isFalse();
    }

    @Test
    void deviceBooleansOnlyFromJsonBooleans() {
        assertThat(of(Map.of("device_compliant", true)).device().compliant()).isTrue();
        assertThat(of(Map.of("device_compliant", false)).device().compliantClaim()).isFalse();
        for (Object wrongType : List.of("true", 1, List.of("true"), List.of(true), "yes")) {
            DeviceState d = of(Map.of("device_compliant", wrongType)).device();
            assertThat(d.present()).as("present for %s", wrongType).isTrue();
            assertThat(d.compliantClaim()).as("unknown for %s", wrongType).isNull();
            assertThat(d.compliant()).as("never compliant for %s", wrongType).isFalse();
        }
        assertThat(of(Map.of("device_managed", "true")).device().managedClaim()).isNull();
        assertThat(of(Map.of("device_managed", "true")).device().managed()).isFalse();
        assertThat(of(Map.of("device_managed", true)).device().managed()).isTrue();
    }

    @Test
    void deviceFacts() {
        DeviceState d = of(Map.of("device_id", "d-1", "device_trust", 3, "device_posture_at", 1_700_000_000L)).device();
        assertThat(d).isEqualTo(new DeviceState(true, "d-1", null, null, 3, 1_700_000_000L));
        DeviceState wrong = of(Map.of("device_id", 7, "device_trust", "3", "device_posture_at", 1.5)).device();
        assertThat(wrong).isEqualTo(new DeviceState(true, null, null, null, null, null));
        assertThat(of(Map.of("device_trust", 3L)).device().trust()).isEqualTo(3);
        assertThat(of(Map.of("device_trust", 1L << 40)).device().trust()).isNull();
    }

    @Test
    void deviceAbsentWhenNoDeviceClaimOrOnlyNulls() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "u");
        claims.put("device_id", null);
        assertThat(of(claims).device().present()).isFalse();
    }

    @Test
    void customDottedPaths() {
        ClaimPaths paths = new ClaimPaths("ext.teams", "ext.roles", "dev.id", "dev.ok", "dev.mdm", "dev.level", "dev.at");
        Identity id = IdentityFactory.fromClaims(Map.of(
                "ext", Map.of("teams", List.of("t1"), "roles", "r1"),
                "dev", Map.of("id", "x", "ok", true, "mdm", true, "level", 2, "at", 10)), paths, false);
        assertThat(id.groups()).containsExactly("t1");
        assertThat(id.roles()).containsExactly("r1");
        assertThat(id.device()).isEqualTo(new DeviceState(true, "x", true, true, 2, 10L));
    }

    @Test
    void nullClaimsPathsAndClaimsAreTolerated() {
        Identity id = IdentityFactory.fromClaims(null, null, false);
        assertThat(id.groupsClaim()).isEqualTo(ClaimList.UNKNOWN);
        assertThat(id.device().present()).isFalse();
        ClaimPaths none = new ClaimPaths(null, null, null, null, null, null, null);
        Identity noPaths = IdentityFactory.fromClaims(Map.of("groups", "g", "device_id", "d"), none, false);
        assertThat(noPaths.groupsClaim()).as("an IdP that does not provide groups: unknown").isEqualTo(ClaimList.UNKNOWN);
        assertThat(noPaths.device().present()).isFalse();
    }

    @Test
    void subjectEmailAndNameComeFromTheStandardClaimsByDefault() {
        Identity id = of(Map.of("sub", "u1", "oid", "o1", "name", "Ann Lee", "email", "ann@example.com",
                "email_verified", true));
        assertThat(id.subject()).isEqualTo("u1");
        assertThat(id.name()).isEqualTo("Ann Lee");
        assertThat(id.email()).isEqualTo("ann@example.com");
    }

    @Test
    void subjectEmailAndNameFollowTheIdpsClaimPaths() {
        // Entra ID: oid is the user across applications (sub is pairwise), upn the sign-in name
        ClaimPaths entra = new ClaimPaths("groups", "roles", null, null, null, null, null, "oid", "upn",
                "profile.display");
        Map<String, Object> claims = Map.of("sub", "pairwise-1", "oid", "o1", "upn", "ann@corp.example",
                "email", "other@example.com", "name", "ignored", "profile", Map.of("display", "Ann Lee"));
        Identity id = IdentityFactory.fromClaims(claims, entra, true);
        assertThat(id.subject()).isEqualTo("o1");
        assertThat(id.email()).isEqualTo("ann@corp.example");
        assertThat(id.name()).isEqualTo("Ann Lee");
        Identity unvouched = IdentityFactory.fromClaims(claims, entra, false);
        assertThat(unvouched.email()).as("the configured email still needs the IdP's word").isNull();
        assertThat(unvouched.emailUnverified()).isTrue();
    }

    @Test
    void aConfiguredSubjectOfTheWrongTypeOrAbsentIsNoSubject() {
        ClaimPaths oid = new ClaimPaths("groups", "roles", null, null, null, null, null, "oid", "email", "name");
        assertThat(IdentityFactory.fromClaims(Map.of("sub", "u1"), oid, false).subject())
                .as("no fallback to sub: the configured claim is the user's id").isNull();
        assertThat(IdentityFactory.fromClaims(Map.of("oid", 7, "name", List.of("Ann")), oid, false))
                .satisfies(id -> {
                    assertThat(id.subject()).isNull();
                    assertThat(id.name()).isNull();
                });
    }
}
