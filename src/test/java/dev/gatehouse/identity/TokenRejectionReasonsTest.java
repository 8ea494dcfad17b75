package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refused token says WHY to the operator (decision log {@code token_error}, metric
 * {@code gatehouse_token_rejections_total{idp,reason}}), while the caller gets the same generic
 * {@code invalid-token} whatever failed.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class TokenRejectionReasonsTest {
    private static final KeyPair STRANGER = stranger();

    private LogCapture log;

    @BeforeEach
    void attach() {
        log = LogCapture.decisionLog();
        GatehouseTestResource.upstream().reset();
    }

    @AfterEach
    void detach() {
        log.detach();
    }

    private static KeyPair stranger() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> refusals() {
        long now = System.currentTimeMillis() / 1000;
        Function<Map<String, Object>, String> signed = c -> GatehouseTestResource.idp().sign(c);
        return Stream.of(
                Arguments.of("expired", edit(c -> { c.put("iat", now - 7200); c.put("exp", now - 3600); }, signed), "token-expired"),
                Arguments.of("not yet valid", edit(c -> c.put("nbf", now + 300), signed), "token-not-yet-valid"),
                Arguments.of("wrong issuer", edit(c -> c.put("iss", "https://evil.example"), signed), "wrong-issuer"),
                Arguments.of("wrong audience", edit(c -> c.put("aud", "someone-else"), signed), "wrong-audience"),
                Arguments.of("no subject", edit(c -> c.remove("sub"), signed), "missing-subject"),
                Arguments.of("bad signature", edit(c -> { }, c -> Jwt.claims(c).jws()
                        .keyId(GatehouseTestResource.idp().currentKid()).sign(STRANGER.getPrivate())), "bad-signature"),
                Arguments.of("unknown key", edit(c -> { }, c -> Jwt.claims(c).jws().keyId("never-published")
                        .sign(STRANGER.getPrivate())), "unknown-key"),
                Arguments.of("not a JWS", (Object) (java.util.function.Supplier<String>) () -> "not-a-token", "malformed"));
    }

    private static java.util.function.Supplier<String> edit(java.util.function.Consumer<Map<String, Object>> change,
                                                            Function<Map<String, Object>, String> sign) {
        return () -> {
            Map<String, Object> c = GatehouseTestResource.idp().engineer();
            change.accept(c);
            return sign.apply(c);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void theOperatorLearnsWhyTheCallerOnlyThatItFailed(String name, java.util.function.Supplier<String> token,
                                                       String reason) {
        String series = "gatehouse_token_rejections_total{idp=\"test\",reason=\"" + reason + "\"";
        double before = Http.metricValue(Http.metrics(), series);
        HttpResponse<String> r = Http.get("api.test", "/", token.get());
        assertThat(r.statusCode()).isEqualTo(401);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("reason")).as("the caller learns nothing more").isEqualTo("invalid-token");
        assertThat(r.body()).doesNotContain(reason);
        JsonObject line = log.decisionLineFor(r);
        assertThat(line.getString("token_error")).isEqualTo(reason);
        assertThat(line.getString("decision")).isEqualTo("unauthenticated");
        assertThat(Http.metricValue(Http.metrics(), series)).isEqualTo(before + 1);
        assertThat(GatehouseTestResource.upstream().hits()).isZero();
    }
}
