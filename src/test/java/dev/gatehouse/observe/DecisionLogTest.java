package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One JSON decision-log line per request, with what an operator needs to answer "why". */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class DecisionLogTest {
    private LogCapture log;

    @BeforeEach
    void attach() {
        log = LogCapture.decisionLog();
    }

    @AfterEach
    void detach() {
        log.detach();
    }

    private JsonObject lineFor(HttpResponse<String> r) {
        return log.decisionLineFor(r);
    }

    @Test
    void denialsAreLoggedWithReasonsRuleSubjectAndVersion() {
        Map<String, Object> sales = GatehouseTestResource.idp().engineer();
        sales.put("groups", List.of("sales"));
        HttpResponse<String> r = Http.get("api.test", "/x", GatehouseTestResource.idp().sign(sales));
        JsonObject line = lineFor(r);
        assertThat(line.getString("app")).isEqualTo("api");
        assertThat(line.getString("decision")).isEqualTo("deny");
        assertThat(line.getJsonArray("reasons").getList()).containsExactly("groups-unauthorized");
        assertThat(line.getString("rule")).isEqualTo("allow.and[0].groups");
        assertThat(line.getString("user")).isEqualTo("alice");
        assertThat(line.getString("idp")).isEqualTo("test");
        assertThat(line.getString("device_id")).isEqualTo("laptop-1");
        assertThat(line.getString("host")).isEqualTo("api.test");
        assertThat(line.getString("path")).isEqualTo("/x");
        assertThat(line.getString("client")).isEqualTo("127.0.0.1");
        assertThat(line.getString("time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(line.getLong("policy_version")).isEqualTo(1L);
        assertThat(line.getInteger("status")).isEqualTo(403);
        assertThat(line.getDouble("latency_ms")).isPositive();
    }

    /**
     * A 401 names no rule the policy never evaluated: an anonymous caller (api's first leaf, groups,
     * needs a caller and was not looked at) or a refused token (no policy ran). An anonymous caller
     * stopped by a rule that was evaluated (docs' deny on /internal) is told by that rule.
     */
    @Test
    void unauthenticatedLinesNameNoRuleThatWasNeverEvaluated() {
        JsonObject anonymous = lineFor(Http.get("api.test", "/x", null));
        assertThat(anonymous.getInteger("status")).isEqualTo(401);
        assertThat(anonymous.getString("decision")).isEqualTo("unauthenticated");
        assertThat(anonymous.getJsonArray("reasons").getList()).first().isEqualTo("user-unauthenticated");
        assertThat(anonymous.containsKey("rule")).as(anonymous.encode()).isFalse();
        assertThat(anonymous.getLong("policy_version")).isEqualTo(1L);

        Map<String, Object> expired = GatehouseTestResource.idp().engineer();
        expired.put("exp", System.currentTimeMillis() / 1000 - 3600);
        JsonObject refused = lineFor(Http.get("api.test", "/x", GatehouseTestResource.idp().sign(expired)));
        assertThat(refused.getInteger("status")).isEqualTo(401);
        assertThat(refused.getJsonArray("reasons").getList()).containsExactly("invalid-token");
        assertThat(refused.getString("token_error")).isEqualTo("token-expired");
        assertThat(refused.containsKey("rule")).as(refused.encode()).isFalse();

        JsonObject internal = lineFor(Http.get("docs.test", "/internal/x", null));
        assertThat(internal.getInteger("status")).as(internal.encode()).isEqualTo(401);
        assertThat(internal.getString("rule")).as(internal.encode()).isEqualTo("deny.or[0].http_path");
    }

    @Test
    void allowsAndErrorsAreLoggedToo() {
        JsonObject allow = lineFor(Http.get("api.test", "/", GatehouseTestResource.idp().validToken()));
        assertThat(allow.getString("decision")).isEqualTo("allow");
        assertThat(allow.getInteger("status")).isEqualTo(200);
        assertThat(allow.getInteger("upstream_status")).isEqualTo(200);
        JsonObject notFound = lineFor(Http.get("nowhere.test", "/", null));
        assertThat(notFound.getString("app")).isEqualTo("none");
        assertThat(notFound.getJsonArray("reasons").getList()).containsExactly("route-not-found");
    }
}
