package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.policy.PolicyEvaluator;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admin API's synthetic route: its policy from config, its IdP, and when the API is off. */
class AdminRoutesTest {
    static final String DEFAULT_POLICY = "{allow: {and: [{roles: {has: gatehouse-admin}}, {device: {compliant: true}}]}}";

    static SnapshotHolder holding(String idps) {
        SnapshotHolder holder = new SnapshotHolder();
        holder.swap(Snapshot.of(new ConfigLoader().parse("idps:\n" + idps + "apps: []\n", "test"), 1));
        return holder;
    }

    static final String ONE = "  corp: {issuer: https://login.example.com, audience: gatehouse}\n";
    static final String TWO = ONE + "  partner: {issuer: https://partner.example.com, audience: gatehouse}\n";

    @Test
    void theDefaultPolicyWantsTheAdminRoleAndACompliantDevice() {
        AppRoute route = new AdminRoutes("Admin.Localhost", DEFAULT_POLICY, Optional.empty(), 1024, holding(ONE)).current();
        assertThat(route.id()).isEqualTo(AdminRoutes.APP_ID);
        assertThat(route.idp().id()).isEqualTo("corp");
        assertThat(route.app().host()).isEqualTo("admin.localhost");
        Map<String, Object> admin = Map.of("sub", "a", "realm_access", Map.of("roles", List.of("gatehouse-admin")),
                "device_compliant", true);
        Map<String, Object> laptop = Map.of("sub", "a", "realm_access", Map.of("roles", List.of("gatehouse-admin")),
                "device_compliant", false);
        assertThat(decide(route, admin)).isTrue();
        assertThat(decide(route, laptop)).isFalse();
        assertThat(decide(route, Map.of("sub", "b", "device_compliant", true))).isFalse();
    }

    private static boolean decide(AppRoute route, Map<String, Object> claims) {
        AccessRequest r = new AccessRequest(IdentityFactory.fromClaims(claims, route.idp().claims(), false), "GET",
                "/api/v1/apps", "admin.localhost", null, Instant.now());
        return PolicyEvaluator.evaluate(route.app().policy(), r).allowed();
    }

    @Test
    void withSeveralIdpsTheAdminIdpMustBeNamed() {
        assertThat(new AdminRoutes("admin.localhost", DEFAULT_POLICY, Optional.empty(), 1024, holding(TWO)).current())
                .as("off").isNull();
        assertThat(new AdminRoutes("admin.localhost", DEFAULT_POLICY, Optional.of("partner"), 1024, holding(TWO))
                .current().idp().id()).isEqualTo("partner");
        assertThat(new AdminRoutes("admin.localhost", DEFAULT_POLICY, Optional.of("nope"), 1024, holding(TWO))
                .current()).as("an unknown IdP: off").isNull();
    }

    @Test
    void aConfiguredPolicyIsCompiledOnceAndAnInvalidOneStopsTheStart() {
        AppRoute route = new AdminRoutes("admin.localhost", "allow: {user: {in: [root]}}", Optional.empty(), 1024,
                holding(ONE)).current();
        assertThat(decide(route, Map.of("sub", "root"))).isTrue();
        assertThat(decide(route, Map.of("sub", "alice"))).isFalse();
        assertThatThrownBy(() -> AdminRoutes.compile("allow: {and: [{roles: {hass: x}}, {devise: {}}]}"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("gatehouse.admin.policy.allow.and[0].roles")
                .hasMessageContaining("gatehouse.admin.policy.allow.and[1]");
        assertThatThrownBy(() -> AdminRoutes.compile("{allow: ")).isInstanceOf(ConfigurationException.class);
    }
}
