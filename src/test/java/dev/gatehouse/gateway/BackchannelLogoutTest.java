package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.LogoutTokenValidator;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /.gatehouse/backchannel-logout} through the data port, on any host: 200 and
 * {@code Cache-Control: no-store} for a valid logout token; 400 {@code {"error":"invalid_request"}}
 * for a replay, a bad token or a malformed request; 405 for other methods. The token checks one by
 * one are in {@code LogoutTokenValidatorTest}; this is the HTTP side, with the store's replay record.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class BackchannelLogoutTest {
    static final String PATH = "/.gatehouse/backchannel-logout";
    TestIdp idp;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
    }

    String logoutToken() {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new HashMap<>();
        c.put("iss", idp.issuer());
        c.put("aud", TestIdp.AUDIENCE); // no client-id configured for this IdP: its audience stands in
        c.put("iat", now);
        c.put("exp", now + 120);
        c.put("jti", UUID.randomUUID().toString());
        c.put("sub", "alice");
        c.put("sid", "idp-session-" + UUID.randomUUID());
        c.put("events", Map.of(LogoutTokenValidator.EVENT, Map.of()));
        return io.smallrye.jwt.build.Jwt.claims(c).jws().keyId(idp.currentKid()).header("typ", "logout+jwt")
                .sign(idp.currentKey().getPrivate());
    }

    static HttpResponse<String> post(String host, String contentType, String body) {
        return Http.send(Http.to(host, PATH).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> postToken(String token) {
        return post("api.test", "application/x-www-form-urlencoded",
                "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    static void assertInvalid(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("invalid_request");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void aValidLogoutTokenIs200AndItsReplay400() {
        String token = logoutToken();
        HttpResponse<String> ok = postToken(token);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
        HttpResponse<String> replay = postToken(token);
        assertInvalid(replay);
        assertThat(new JsonObject(replay.body()).getString("error_description")).isEqualTo("replayed");
    }

    @Test
    void itAnswersOnEveryHostUnknownOnesIncluded() {
        HttpResponse<String> r = post("no-such-app.test", "application/x-www-form-urlencoded",
                "logout_token=" + logoutToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void badRequestsAre400() {
        assertInvalid(postToken("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assertInvalid(post("api.test", "application/x-www-form-urlencoded", "other=1"));
        assertInvalid(post("api.test", "application/x-www-form-urlencoded",
                "logout_token=" + logoutToken() + "&logout_token=" + logoutToken()));
        assertInvalid(post("api.test", "application/json", "{\"logout_token\": \"" + logoutToken() + "\"}"));
        assertInvalid(post("api.test", "application/x-www-form-urlencoded",
                "logout_token=" + "a".repeat(40 * 1024)));
        // an access token is no logout token (no events member, typ JWT)
        HttpResponse<String> access = postToken(idp.validToken());
        assertInvalid(access);
        assertThat(new JsonObject(access.body()).getString("error_description")).isEqualTo("missing-event");
    }

    @Test
    void otherMethodsAre405() {
        HttpResponse<String> r = Http.get("api.test", PATH, null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }
}
