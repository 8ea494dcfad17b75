package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.CodeFlowIdp;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sign-in too old or too weak for the policy: a browser goes back to the IdP asking for what is
 * needed and returns to the same URL; a bearer client gets 401 insufficient_user_authentication
 * (RFC 9470) naming it.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class StepUpTest {
    TestIdp idp;
    CodeFlowIdp flow;

    @BeforeEach
    void setUp() {
        idp = BrowserTestResource.idp();
        flow = idp.codeFlow();
        flow.reset();
    }

    @AfterEach
    void reset() {
        flow.reset();
    }

    private Map<String, Object> signedInLongAgo() {
        Map<String, Object> c = idp.engineer();
        c.put("auth_time", System.currentTimeMillis() / 1000 - 3600);
        return c;
    }

    @Test
    void anOldSignInIsSentBackWithPromptLoginAndMaxAge() {
        flow.signInAs(this::signedInLongAgo);
        Browser b = new Browser();
        HttpResponse<String> end = b.open("http://fresh.corp.test/report?q=1");
        // first sign-in (old auth_time), refused as too old, sent back with prompt=login: now fresh
        assertThat(end.statusCode()).as(end.body()).isEqualTo(200);
        assertThat(b.visited.get(b.visited.size() - 1)).isEqualTo("http://fresh.corp.test/report?q=1");
        assertThat(flow.lastAuthorization).containsEntry("prompt", "login").containsEntry("max_age", "300");
    }

    @Test
    void aWeakSignInIsSentBackWithAcrValues() {
        Browser b = new Browser();
        HttpResponse<String> end = b.open("http://strong.corp.test/vault");
        assertThat(end.statusCode()).as(end.body()).isEqualTo(200);
        assertThat(flow.lastAuthorization).containsEntry("acr_values", "gold platinum");
    }

    @Test
    void anIdpThatCannotStepUpEndsOnThePageNotInALoop() {
        flow.signInAs(this::signedInLongAgo);
        flow.honourStepUp = false;
        int before = flow.authorizations.get();
        Browser b = new Browser();
        HttpResponse<String> r = b.open("http://fresh.corp.test/");
        assertThat(r.statusCode()).as("the page, after one step-up that did not help").isEqualTo(403);
        assertThat(r.body()).contains("reauth-required");
        assertThat(flow.authorizations.get() - before).as("sign-in, then one step-up").isEqualTo(2);
    }

    @Test
    void bearerClientsGetRfc9470Challenges() {
        Map<String, Object> old = signedInLongAgo();
        HttpResponse<String> tooOld = Http.get("fresh.corp.test", "/", idp.sign(old));
        assertThat(tooOld.statusCode()).isEqualTo(401);
        assertThat(tooOld.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("error=\"insufficient_user_authentication\"").contains("max_age=\"300\"");
        assertThat(tooOld.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> weak = Http.get("strong.corp.test", "/", idp.validToken());
        assertThat(weak.statusCode()).isEqualTo(401);
        assertThat(weak.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("error=\"insufficient_user_authentication\"").contains("acr_values=\"gold platinum\"");
    }

    @Test
    void aDeniedPersonSeesWhoTheyAreAndCanSwitch() {
        flow.signInAs(() -> flow.engineerIn(java.util.List.of("sales")));
        Browser b = new Browser();
        HttpResponse<String> r = b.open("http://wiki.corp.test/space");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("You are signed in as <strong>alice@example.com</strong>")
                .contains("Sign in as someone else").contains("groups-unauthorized");
        HttpResponse<String> sw = b.get("http://wiki.corp.test/.gatehouse/login?prompt=login&rd=%2Fspace");
        assertThat(sw.statusCode()).isEqualTo(302);
        assertThat(CodeFlowIdp.query(URI.create(sw.headers().firstValue("Location").orElseThrow()).getRawQuery()))
                .containsEntry("prompt", "login");
    }
}
