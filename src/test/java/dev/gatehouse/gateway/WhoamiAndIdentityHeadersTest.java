package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code /.gatehouse/whoami} may explain is the app's choice ({@code whoami: reasons | full | off});
 * group names that contain a comma cannot read as two groups in {@code X-Gatehouse-Groups}.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class WhoamiAndIdentityHeadersTest {
    TestIdp idp;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    @Test
    void byDefaultWhoamiGivesReasonsButNotTheRuleOrPolicyVersion() {
        HttpResponse<String> r = Http.get("api.test", "/.gatehouse/whoami?path=/admin/x&method=POST", idp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject decision = new JsonObject(r.body()).getJsonObject("decision");
        assertThat(decision.getString("outcome")).isEqualTo("deny");
        assertThat(decision.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("groups-unauthorized");
        assertThat(decision.containsKey("rule")).as("the rule path describes the policy").isFalse();
        assertThat(decision.containsKey("policy_version")).isFalse();
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void fullWhoamiAddsTheRuleAndPolicyVersion() {
        HttpResponse<String> r = Http.get("headers.test", "/.gatehouse/whoami", idp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject decision = new JsonObject(r.body()).getJsonObject("decision");
        assertThat(decision.getString("outcome")).isEqualTo("allow");
        assertThat(decision.getString("rule")).isEqualTo("allow");
        assertThat(decision.getLong("policy_version")).isEqualTo(1L);
    }

    @Test
    void whoamiOffExplainsNothing() {
        HttpResponse<String> r = Http.get("office.test", "/.gatehouse/whoami", idp.validToken());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("route-not-found").doesNotContain("source-ip");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void aGroupNameWithACommaStaysOneGroup() {
        Map<String, Object> claims = idp.engineer();
        claims.put("groups", List.of("Sales, EMEA", "engineering", "100%"));
        HttpResponse<String> r = Http.get("headers.test", "/", idp.sign(claims));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.last().header("X-Gatehouse-Groups")).isEqualTo("Sales%2C EMEA,engineering,100%25");
    }

    @Test
    void plainGroupNamesAreSentUnchanged() {
        HttpResponse<String> r = Http.get("headers.test", "/", idp.validToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.last().header("X-Gatehouse-Groups")).isEqualTo("engineering");
    }
}
