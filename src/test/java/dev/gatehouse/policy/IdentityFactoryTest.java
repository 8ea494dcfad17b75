package dev.gatehouse.policy;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityFactoryTest {

    private static Identity of(Map<String, Object> claims) {
        return IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS);
    }

    @Test
    void readsTheStandardClaims() {
        Identity id = of(Map.of("sub", "u1", "email", "Ann@Example.com", "groups", List.of("eng", "ops"),
                "realm_access", Map.of("roles", List.of("admin")), "amr", List.of("pwd", "otp"),
                "acr", "gold", "auth_time", 1_700_000_000L));
        assertThat(id.subject()).isEqualTo("u1");
        assertThat(id.email()).isEqualTo("Ann@Example.com");
        assertThat(id.groups()).containsExactly("eng", "ops");
        assertThat(id.roles()).containsExactly("admin");
        assertThat(id.amr()).containsExactly("pwd", "otp");
        assertThat(id.acr()).isEqualTo("gold");
        assertThat(id.authTimeEpochSeconds()).isEqualTo(1_700_000_000L);
        assertThat(id.device()).isEqualTo(DeviceState.NONE);
        assertThat(id.claims()).containsKey("realm_access");
    }

    @Test
    void singleStringGroupIsAOneElementList() {
        assertThat(of(Map.of("groups", "eng")).groups()).containsExactly("eng");
        assertThat(of(Map.of("amr", "mfa")).amr()).containsExactly("mfa");
    }

    @Test
    void nonStringElementsAreIgnoredAndOtherTypesGiveEmptyLists() {
        assertThat(of(Map.of("groups", List.of("eng", 1, true, List.of("x"), "ops"))).groups()).containsExactly("eng", "ops");
        assertThat(of(Map.of("groups", 42)).groups()).isEmpty();
        assertThat(of(Map.of("groups", Map.of("a", "b"))).groups()).isEmpty();
        assertThat(of(Map.of()).groups()).isEmpty();
        assertThat(of(Map.of("realm_access", "admin")).roles()).isEmpty();
    }

    @Test
    void scalarsAreTypeStrict() {
        Identity id = of(Map.of("sub", 123, "email", List.of("a@b.c"), "acr", 1, "auth_time", "1700000000"));
        assertThat(id.subject()).isNull();
        assertThat(id.email()).isNull();
        assertThat(id.acr()).isNull();
        assertThat(id.authTimeEpochSeconds()).isNull();
        assertThat(of(Map.of("auth_time", 1.7e9)).authTimeEpochSeconds()).isNull();
        assertThat(of(Map.of("auth_time", 1_700_000_000)).authTimeEpochSeconds()).isEqualTo(1_700_000_000L);
        assertThat(of(Map.of("auth_time", BigInteger.valueOf(5))).authTimeEpochSeconds()).isEqualTo(5L);
        assertThat(of(Map.of("auth_time", BigInteger.TWO.pow(70))).authTimeEpochSeconds()).isNull();
    }

    @Test
    void deviceCompliantOnlyForJsonTrue() {
        assertThat(of(Map.of("device_compliant", true)).device().compliant()).isTrue();
        for (Object notTrue : List.of("true", 1, List.of("true"), List.of(true), "yes", false)) {
            DeviceState d = of(Map.of("device_compliant", notTrue)).device();
            assertThat(d.present()).as("present for %s", notTrue).isTrue();
            assertThat(d.compliant()).as("compliant for %s", notTrue).isFalse();
        }
        assertThat(of(Map.of("device_managed", "true")).device().managed()).isFalse();
        assertThat(of(Map.of("device_managed", true)).device().managed()).isTrue();
    }

    @Test
    void deviceFacts() {
        DeviceState d = of(Map.of("device_id", "d-1", "device_trust", 3, "device_posture_at", 1_700_000_000L)).device();
        assertThat(d).isEqualTo(new DeviceState(true, "d-1", false, false, 3, 1_700_000_000L));
        DeviceState wrong = of(Map.of("device_id", 7, "device_trust", "3", "device_posture_at", 1.5)).device();
        assertThat(wrong).isEqualTo(new DeviceState(true, null, false, false, null, null));
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
                "dev", Map.of("id", "x", "ok", true, "mdm", true, "level", 2, "at", 10)), paths);
        assertThat(id.groups()).containsExactly("t1");
        assertThat(id.roles()).containsExactly("r1");
        assertThat(id.device()).isEqualTo(new DeviceState(true, "x", true, true, 2, 10L));
    }

    @Test
    void nullClaimsPathsAndClaimsAreTolerated() {
        Identity id = IdentityFactory.fromClaims(null, null);
        assertThat(id.groups()).isEmpty();
        assertThat(id.device().present()).isFalse();
        ClaimPaths none = new ClaimPaths(null, null, null, null, null, null, null);
        assertThat(IdentityFactory.fromClaims(Map.of("groups", "g", "device_id", "d"), none).groups()).isEmpty();
    }
}
