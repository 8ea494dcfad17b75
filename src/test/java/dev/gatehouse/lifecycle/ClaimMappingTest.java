package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.Reloads.awaitStatus;
import static dev.gatehouse.testing.ReloadableConfig.document;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.ReloadableConfig;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An IdP whose user id, email and display name live in other claims than {@code sub}, {@code email}
 * and {@code name} (Entra ID's {@code oid} and {@code upn}): with {@code claims: {subject, email,
 * name}} configured, bearer tokens are judged, logged and forwarded by those claims, end to end.
 */
@QuarkusTest
@TestProfile(ReloadProfile.class)
class ClaimMappingTest {
    private static final String ENTRA = """
              entra:
                issuer: %s
                audience: gatehouse
                trust-email: true
                claims: { subject: oid, email: upn, name: profile.display }
            """;

    @Test
    void bearerTokensAreReadThroughTheIdpsSubjectEmailAndNameClaims() {
        TestIdp entra = ReloadableConfig.secondIdp();
        RecordingUpstream upstream = ReloadableConfig.upstream();
        String app = "  - id: mapped\n    host: mapped.test\n    upstream: " + upstream.url()
                + "\n    idp: entra\n    identity-headers: true\n    policy: { allow: { user: { is: o-123 } } }\n";
        ReloadableConfig.write(document(ENTRA.formatted(entra.issuer()), app));

        Map<String, Object> claims = entra.engineer();
        claims.put("sub", "pairwise-xyz");
        claims.put("oid", "o-123");
        claims.put("upn", "ann@corp.example");
        claims.put("email", "other@example.com");
        claims.put("name", "not this one");
        claims.put("profile", Map.of("display", "Ann Lee"));
        String ann = entra.sign(claims);
        awaitStatus("mapped.test", ann, 200, 5000);

        RecordingUpstream.Received got = upstream.last();
        assertThat(got.header("X-Gatehouse-User")).isEqualTo("o-123");
        assertThat(got.header("X-Gatehouse-Email")).isEqualTo("ann@corp.example");
        JsonObject assertion = payload(got.header("X-Gatehouse-Assertion"));
        assertThat(assertion.getString("sub")).isEqualTo("o-123");
        assertThat(assertion.getString("email")).isEqualTo("ann@corp.example");
        assertThat(assertion.getString("name")).isEqualTo("Ann Lee");

        HttpResponse<String> me = Http.get("mapped.test", "/.gatehouse/whoami", ann);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonObject who = new JsonObject(me.body());
        assertThat(who.getString("subject")).isEqualTo("o-123");
        assertThat(who.getString("name")).isEqualTo("Ann Lee");

        // same token shape but another user id: the policy judges oid, not sub
        claims.put("oid", "o-999");
        HttpResponse<String> other = Http.get("mapped.test", "/", entra.sign(claims));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);

        // no oid at all: no subject, whatever sub says; refused as a bad token, never forwarded
        claims.remove("oid");
        int hits = upstream.hits();
        HttpResponse<String> none = Http.get("mapped.test", "/", entra.sign(claims));
        assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
        assertThat(upstream.hits()).isEqualTo(hits);
    }

    private static JsonObject payload(String jwt) {
        String part = jwt.split("\\.")[1];
        return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }
}
