package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IdP behind a private CA ({@code idps.<id>.ca-file}), over https, end to end: Gatehouse got ready
 * (its key probe fetched the IdP's keys through the CA), checks that IdP's bearer tokens (keys fetched
 * through the CA) and signs browsers in through it (discovery, code exchange and ID token keys too).
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class PrivateCaIdpTest {
    TestIdp tlsIdp;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        tlsIdp = BrowserTestResource.tlsIdp();
        tlsIdp.codeFlow().reset();
        upstream = BrowserTestResource.upstream();
        upstream.reset();
    }

    @Test
    void aBearerTokenOfTheHttpsIdpIsChecked() {
        assertThat(tlsIdp.issuer()).startsWith("https://localhost:");
        HttpResponse<String> r = Http.get("intranet.corp.test", "/report", tlsIdp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(upstream.last().uri()).isEqualTo("/report");

        var outsider = tlsIdp.engineer();
        outsider.put("groups", java.util.List.of("sales"));
        assertThat(Http.get("intranet.corp.test", "/report", tlsIdp.sign(outsider)).statusCode()).isEqualTo(403);
        // the other IdP's token is not this app's
        assertThat(Http.get("intranet.corp.test", "/report", BrowserTestResource.idp().validToken()).statusCode())
                .isEqualTo(401);
        assertThat(upstream.hits()).isEqualTo(1);
    }

    @Test
    void aTokenLeftToQuarkusOidcIsCheckedThroughTheCaToo() {
        // a header member the local verifier does not know: the token is left to quarkus-oidc, whose
        // tenant for this IdP fetches discovery and keys over its own client, which must trust the CA too
        String unusual = io.smallrye.jwt.build.Jwt.claims(tlsIdp.engineer()).jws().header("x-note", "left to oidc")
                .keyId(tlsIdp.currentKid()).sign(tlsIdp.currentKey().getPrivate());
        HttpResponse<String> r = Http.get("intranet.corp.test", "/unusual", unusual);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(upstream.last().uri()).isEqualTo("/unusual");
    }

    @Test
    void aBrowserSignsInThroughTheHttpsIdp() {
        Browser b = new Browser();
        HttpResponse<String> first = b.get("http://intranet.corp.test/docs");
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location").orElseThrow()).startsWith(tlsIdp.issuer() + "/auth?");
        HttpResponse<String> done = b.follow(first);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(tlsIdp.codeFlow().codeExchanges.get()).isPositive();
        assertThat(upstream.last().uri()).isEqualTo("/docs");
    }

    @Test
    void aBackChannelLogoutOfTheHttpsIdpEndsItsSession() {
        String sub = "carol-" + System.nanoTime();
        tlsIdp.codeFlow().signInAs(() -> {
            java.util.Map<String, Object> c = tlsIdp.engineer();
            c.put("sub", sub);
            return c;
        });
        Browser b = new Browser();
        assertThat(b.open("http://intranet.corp.test/").statusCode()).isEqualTo(200);
        long now = System.currentTimeMillis() / 1000;
        String logout = io.smallrye.jwt.build.Jwt.claims(java.util.Map.of("iss", tlsIdp.issuer(),
                        "aud", dev.gatehouse.testing.CodeFlowIdp.CLIENT_ID, "iat", now, "jti", java.util.UUID.randomUUID().toString(),
                        "sub", sub, "events", java.util.Map.of(dev.gatehouse.identity.LogoutTokenValidator.EVENT, java.util.Map.of())))
                .jws().keyId(tlsIdp.currentKid()).header("typ", "logout+jwt").sign(tlsIdp.currentKey().getPrivate());
        // its signature is checked with the keys fetched through the CA
        HttpResponse<String> r = Http.send(Http.to("intranet.corp.test", "/.gatehouse/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("logout_token="
                        + java.net.URLEncoder.encode(logout, java.nio.charset.StandardCharsets.UTF_8))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<String> after = b.get("http://intranet.corp.test/again");
        assertThat(after.statusCode()).as("the session ended: back to the IdP").isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElse("")).startsWith(tlsIdp.issuer());
    }
}
