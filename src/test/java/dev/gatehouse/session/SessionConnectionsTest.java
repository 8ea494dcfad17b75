package dev.gatehouse.session;

import static dev.gatehouse.session.BrowserSignInTest.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session is a credential everywhere a token is: open WebSockets on it are closed (1008) the
 * moment it ends, whoami describes it, and the admin host accepts it (with writes held to the
 * admin origin).
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class SessionConnectionsTest {
    @Inject
    SessionRepository sessions;
    Vertx vertx;
    TestIdp idp;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        idp = BrowserTestResource.idp();
        idp.codeFlow().reset();
    }

    @AfterEach
    void tearDown() {
        idp.codeFlow().reset();
        vertx.close();
    }

    @Test
    void anOpenWebSocketClosesWhenItsSessionEnds() throws Exception {
        Browser b = signedIn("http://wiki.corp.test/");
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port())
                .setURI("/ws").addHeader("Host", "wiki.corp.test").addHeader("Cookie", b.cookieHeader("wiki.corp.test"));
        WebSocket ws = client.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Short> closed = new CompletableFuture<>();
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        assertThat(BrowserTestResource.upstream().last().header("Cookie")).as("no Gatehouse cookie upstream").isNull();

        Session s = sessions.cached(b.cookie("gatehouse_session").orElseThrow().value());
        assertThat(sessions.endSession(s.id())).isTrue(); // what sign-out and back-channel logout do
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
        assertThat(ws.closeReason()).isEqualTo("session-ended");
    }

    @Test
    void whoamiDescribesTheSessionsCaller() {
        Browser b = signedIn("http://wiki.corp.test/");
        HttpResponse<String> r = b.get("http://wiki.corp.test/.gatehouse/whoami");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject who = new JsonObject(r.body());
        assertThat(who.getString("subject")).isEqualTo("alice");
        assertThat(who.getJsonObject("decision").getString("outcome")).isEqualTo("allow");
    }

    @Test
    void theAdminHostAcceptsASessionOfTheAdminIdp() {
        idp.codeFlow().signInAs(idp::admin);
        Browser b = new Browser();
        HttpResponse<String> r = b.open("http://admin.localhost/api/v1/apps");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("wiki");
        HttpResponse<String> crossSite = b.post("http://admin.localhost/api/v1/validate", "{}",
                java.util.Map.of("Origin", "https://evil.example"));
        assertThat(crossSite.statusCode()).as("a write on a session from another origin").isEqualTo(403);
    }
}
