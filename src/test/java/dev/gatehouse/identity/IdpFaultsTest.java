package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Key rotation, kid sprays and an IdP outage: valid tokens keep working, nothing answers 5xx. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the JWKS refresh cooldown makes these stateful
class IdpFaultsTest {

    @Test
    @Order(1)
    void rotationAtTheIdpIsPickedUpWithoutRestart() {
        TestIdp idp = GatehouseTestResource.idp();
        assertThat(Http.get("api.test", "/", idp.validToken()).statusCode()).isEqualTo(200);
        int fetchesBefore = idp.jwksFetches();
        double countedBefore = jwksRefreshes();
        idp.rotate();
        assertThat(Http.get("api.test", "/", idp.validToken()).statusCode())
                .as("a token signed with the new key is verified after one JWKS refresh").isEqualTo(200);
        int fetched = idp.jwksFetches() - fetchesBefore;
        assertThat(fetched).isPositive();
        assertThat(jwksRefreshes() - countedBefore).as("gatehouse_jwks_refresh_total counts what the IdP served")
                .isEqualTo(fetched);
    }

    private static double jwksRefreshes() {
        return Http.metricValue(Http.metrics(), "gatehouse_jwks_refresh_total{idp=\"test\",result=\"success\"");
    }

    @Test
    @Order(2)
    void randomKidSpraysCostAtMostOneJwksFetch() {
        TestIdp idp = GatehouseTestResource.idp();
        assertThat(Http.get("api.test", "/", idp.validToken()).statusCode()).isEqualTo(200);
        int before = idp.jwksFetches();
        double countedBefore = jwksRefreshes();
        for (int i = 0; i < 25; i++) {
            String token = Jwt.claims(idp.engineer()).jws().keyId(UUID.randomUUID().toString())
                    .sign(idp.currentKey().getPrivate());
            assertThat(Http.get("api.test", "/", token).statusCode()).isEqualTo(401);
        }
        assertThat(idp.jwksFetches() - before).isLessThanOrEqualTo(1);
        assertThat(jwksRefreshes() - countedBefore).isEqualTo(idp.jwksFetches() - before);
    }

    @Test
    @Order(3)
    void anIdpOutageKeepsValidTokensWorking() {
        TestIdp idp = GatehouseTestResource.idp();
        assertThat(Http.get("api.test", "/", idp.validToken()).statusCode()).isEqualTo(200);
        idp.setDown(true);
        try {
            // a token never seen before (cache miss), signed with a key Gatehouse already holds
            assertThat(Http.get("api.test", "/", idp.validToken()).statusCode()).isEqualTo(200);
            String unknownKid = Jwt.claims(idp.engineer()).jws().keyId("nobody-knows")
                    .sign(idp.currentKey().getPrivate());
            assertThat(Http.get("api.test", "/", unknownKid).statusCode()).isEqualTo(401);
        } finally {
            idp.setDown(false);
        }
    }
}
