package dev.gatehouse.security;

import static dev.gatehouse.security.Hostile.assertNothingUpstream;
import static dev.gatehouse.security.Hostile.assertRefused;
import static dev.gatehouse.security.Hostile.idp;
import static dev.gatehouse.security.Hostile.idpSigned;
import static dev.gatehouse.security.Hostile.rawStatus;
import static dev.gatehouse.security.Hostile.unb64;
import static dev.gatehouse.security.Hostile.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client headers that try to speak for Gatehouse: identity headers of every proxy family in every
 * case and separator form, hop-by-hop tricks with {@code Connection}, duplicated or folded
 * credentials, control characters carried in claims, and client-address spoofing against a
 * {@code source_ip} policy. A spoofed value is always {@code mallory}: no header the upstream
 * receives may carry it.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(HostileInputProfile.class)
class HeaderAttacksTest {
    private static final String SPOOF = "mallory";
    /** {@code gatehouse.strip-headers} of {@link HostileInputProfile}: a name and a prefix. */
    static final String CONFIGURED_STRIP_HEADERS = "X-Legacy-User,x-CORP-sso-*";

    @BeforeEach
    void setUp() {
        upstream().reset();
    }

    private static void assertNoSpoofedValueArrived(RecordingUpstream.Received got) {
        got.headers().forEach(e -> assertThat(e.getValue()).as(e.getKey()).doesNotContain(SPOOF));
    }

    /** Raw so that underscores, odd cases and repeated names reach Gatehouse exactly as written. */
    private static String raw(String host, String token, String... headers) {
        StringBuilder sb = new StringBuilder("GET /x HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        if (token != null) {
            sb.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return Hostile.raw(sb.append("Connection: close\r\n\r\n").toString());
    }

    // ---- identity headers of every family, case and separator ----

    static Stream<String> identityHeaders() {
        return Stream.of("X-Gatehouse-User", "x-gatehouse-user", "X-GATEHOUSE-USER", "X_Gatehouse_User",
                "x_gatehouse_user", "X-Gatehouse_User", "X-GATEHOUSE-EMAIL", "x-gatehouse-email", "X_GATEHOUSE_EMAIL",
                "X-Gatehouse-Groups", "X_Gatehouse_Groups", "X-Gatehouse-Assertion", "x_gatehouse_assertion",
                "X-Gatehouse-Device", "X-Gatehouse-Anything-New",
                "X-Forwarded-User", "x-forwarded-user", "X_Forwarded_User", "X-Forwarded-Email", "X-FORWARDED-EMAIL",
                "X-Forwarded-Groups", "X-Forwarded-Preferred-Username", "X_Forwarded_Preferred_Username",
                "X-Forwarded-Access-Token",
                "X-Auth-Request-User", "x-auth-request-user", "X_Auth_Request_User", "X-Auth-Request-Email",
                "X-Auth-Request-Groups", "X-Auth-Request-Access-Token", "X-Auth-Request-Preferred-Username",
                "Remote-User", "REMOTE-USER", "remote_user", "Remote_User", "X-Remote-User", "x-remote-user",
                "X_Remote_User", "X-Remote-Email", "X-Remote-Groups", "X-WebAuth-User", "X-User", "X-Email",
                "X-Authenticated-User");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityHeaders")
    void spoofedIdentityHeadersNeverReachTheUpstream(String header) {
        String answer = raw("headers.test", idp().validToken(), header + ": " + SPOOF,
                header + ": " + SPOOF + "@evil.test");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertNoSpoofedValueArrived(got);
        // the ones Gatehouse sets are there once, with Gatehouse's values
        assertThat(got.headers().getAll("X-Gatehouse-User")).containsExactly("alice");
        assertThat(got.headers().getAll("X-Gatehouse-Email")).containsExactly("alice@example.com");
        assertThat(got.headers().getAll("X-Gatehouse-Groups")).containsExactly("engineering");
        assertThat(got.headers().getAll("X-Gatehouse-Assertion")).hasSize(1);
        String name = header.toLowerCase(Locale.ROOT).replace('_', '-');
        if (!name.startsWith("x-gatehouse-") || name.equals("x-gatehouse-device") || name.equals("x-gatehouse-anything-new")) {
            assertThat(got.headers().names()).as("no header of the spoofed family")
                    .noneMatch(n -> n.toLowerCase(Locale.ROOT).replace('_', '-').equals(name));
        }
    }

    /**
     * Identity headers of the other access proxies, in mixed case, and the names and prefixes of
     * {@link #CONFIGURED_STRIP_HEADERS}: an app migrated from one of them may still trust these.
     */
    static Stream<String> otherAccessProxiesHeaders() {
        return Stream.of(
                "X-Pomerium-Jwt-Assertion", "x-pomerium-claim-email", "X-POMERIUM-CLAIM-GROUPS", // Pomerium
                "X-Goog-Authenticated-User-Email", "x-goog-authenticated-user-id", "X-GOOG-AUTHENTICATED-USER-EMAIL",
                "X-Goog-IAP-JWT-Assertion", "x-goog-iap-jwt-assertion", // Google IAP
                "Cf-Access-Jwt-Assertion", "CF-ACCESS-AUTHENTICATED-USER-EMAIL", "cf-access-client-id", // Cloudflare
                "X-Amzn-Oidc-Data", "x-amzn-oidc-identity", "X-AMZN-OIDC-ACCESSTOKEN", // AWS ALB
                "X-MS-Client-Principal", "x-ms-client-principal-name", "X-Ms-Client-Principal-Id",
                "X-MS-CLIENT-PRINCIPAL-IDP", // Azure App Service
                "X-Remote-Group", "x-remote-group", "X-Remote-Extra-Scopes", "x-REMOTE-extra-team", // Kubernetes
                "X-Authenticated-Userid", "x-authenticated-userid", "X-Consumer-Id", "x-consumer-username",
                "X-Consumer-Custom-ID", "X-CONSUMER-GROUPS", "X-Userinfo", "x-userinfo", // Kong
                "X-Legacy-User", "x-legacy-user", "X-LEGACY-USER", // configured name
                "X-Corp-Sso-Subject", "x-corp-sso-groups", "X-CORP-SSO-EMAIL"); // configured prefix
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherAccessProxiesHeaders")
    void otherAccessProxiesHeadersNeverReachTheUpstream(String header) {
        String answer = raw("headers.test", idp().validToken(), header + ": " + SPOOF,
                header + ": " + SPOOF + "@evil.test");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertNoSpoofedValueArrived(got);
        assertThat(got.header(header)).isNull();
        assertThat(got.headers().getAll("X-Gatehouse-User")).containsExactly("alice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherAccessProxiesHeaders")
    void otherAccessProxiesHeadersOnAnAnonymousAppNeverReachTheUpstream(String header) {
        String answer = raw("public.test", null, header + ": " + SPOOF);
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertNoSpoofedValueArrived(got);
        assertThat(got.header(header)).isNull();
    }

    @Test
    void otherAccessProxiesHeadersNeverReachTheUpstreamInAWebSocketHandshake() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port())
                    .setURI("/ws").addHeader("Host", "api.test").addHeader("Authorization", "Bearer " + idp().validToken());
            List<String> headers = otherAccessProxiesHeaders().toList();
            headers.forEach(h -> o.addHeader(h, SPOOF));
            WebSocket ws = vertx.createWebSocketClient().connect(o).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            ws.close();
            RecordingUpstream.Received handshake = upstream().last();
            assertThat(handshake.header("X-Gatehouse-Assertion")).as("the handshake reached the upstream").isNotBlank();
            assertNoSpoofedValueArrived(handshake);
            headers.forEach(h -> assertThat(handshake.header(h)).as(h).isNull());
        } finally {
            vertx.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Legacy-Username", "X-Corp-Ss", "X-Consumer", "X-Pomerium", "Cf-Accessible",
        "X-Remote-Groups-Count", "X-Userinfo-Url", "X-Goog-Iap"})
    void lookalikesOfStrippedHeadersStillArrive(String header) {
        String answer = raw("public.test", null, header + ": kept");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        assertThat(upstream().last().header(header)).isEqualTo("kept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityHeaders")
    void spoofedIdentityHeadersOnAnAnonymousAppNeverReachTheUpstream(String header) {
        String answer = raw("public.test", null, header + ": " + SPOOF);
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertNoSpoofedValueArrived(got);
        assertThat(got.headers().names()).noneMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("x-gatehouse-"));
    }

    @Test
    void anAppWithoutIdentityHeadersGetsNoneEvenWhenTheClientSendsThem() {
        String answer = raw("api.test", idp().validToken(), "X-Gatehouse-User: " + SPOOF, "X-Gatehouse-Groups: admins");
        assertThat(rawStatus(answer)).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertThat(got.header("X-Gatehouse-User")).isNull();
        assertThat(got.header("X-Gatehouse-Groups")).isNull();
        assertNoSpoofedValueArrived(got);
    }

    // ---- Connection naming Gatehouse's own headers ----

    @Test
    void headersAClientNamesInConnectionStillArriveSetByGatehouse() {
        String answer = raw("headers.test", idp().validToken(),
                "Connection: X-Gatehouse-User, X-Gatehouse-Email, X-Gatehouse-Groups, X-Gatehouse-Assertion",
                "Connection: X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host, Forwarded, X-Request-Id",
                "X-Forwarded-For: 203.0.113.7", "X-Request-Id: " + SPOOF, "X-Gatehouse-User: " + SPOOF,
                "Forwarded: for=203.0.113.7", "X-Dropped: by-connection", "Connection: X-Dropped");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertNoSpoofedValueArrived(got);
        assertThat(got.headers().getAll("X-Gatehouse-User")).containsExactly("alice");
        assertThat(got.headers().getAll("X-Gatehouse-Email")).containsExactly("alice@example.com");
        assertThat(got.headers().getAll("X-Gatehouse-Groups")).containsExactly("engineering");
        assertThat(got.headers().getAll("X-Gatehouse-Assertion")).hasSize(1);
        assertThat(got.headers().getAll("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(got.headers().getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(got.headers().getAll("X-Forwarded-Host")).containsExactly("headers.test");
        assertThat(got.headers().getAll("Forwarded")).containsExactly("for=127.0.0.1;proto=http;host=\"headers.test\"");
        assertThat(got.headers().getAll("X-Request-Id")).hasSize(1).noneMatch(v -> v.contains(SPOOF));
        assertThat(got.header("X-Dropped")).as("a header named in Connection is hop-by-hop").isNull();
    }

    @Test
    void hopByHopHeadersAreNotForwarded() {
        String answer = raw("public.test", null, "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive",
                "Proxy-Authorization: Basic " + SPOOF, "TE: trailers", "Trailer: X-Gatehouse-User", "Upgrade: websocket-not");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        for (String h : List.of("Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer", "Upgrade")) {
            assertThat(got.header(h)).as(h).isNull();
        }
    }

    // ---- credentials: duplicated, folded, odd ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION"})
    void twoAuthorizationHeadersAre400(String second) {
        String answer = raw("public.test", idp().validToken(), second + ": Bearer " + idp().validToken());
        assertThat(rawStatus(answer)).as(answer).isEqualTo(400);
        assertThat(answer).contains("invalid-request").doesNotContain("<<timeout");
        assertNothingUpstream();
    }

    @Test
    void twoAuthorizationHeadersOverTheJdkClientAre400() {
        HttpResponse<String> r = Http.send(Http.to("api.test", "/").header("Authorization", "Bearer " + idp().validToken())
                .header("Authorization", "Bearer " + idp().validToken()).build());
        assertRefused(r, 400, "invalid-request");
    }

    @ParameterizedTest(name = "Authorization: {0}")
    @ValueSource(strings = {"Bearer", "Bearer ", "Basic YWxpY2U6cGFzcw==", "Bearer a, Bearer b", "Token abc.def.ghi",
        "Bearer\tabc.def.ghi", "bearer abc.def.ghi", "Bearer abc.def.ghi extra", "Negotiate YWJj"})
    void oddAuthorizationValuesAre401(String value) {
        HttpResponse<String> r = Http.send(Http.to("api.test", "/").header("Authorization", value).build());
        assertRefused(r, 401, "invalid-token");
    }

    @Test
    void aFoldedLineNeverBecomesAHeaderUpstream() {
        String answer = raw("headers.test", idp().validToken(), "X-Note: a", " X-Gatehouse-User: " + SPOOF,
                "X-Other: b", "\tX-Forwarded-User: " + SPOOF);
        int status = rawStatus(answer);
        assertThat(status).as(answer).isIn(200, 400);
        if (status == 200) {
            RecordingUpstream.Received got = upstream().last();
            assertThat(got.headers().getAll("X-Gatehouse-User")).containsExactly("alice");
            assertThat(got.header("X-Forwarded-User")).isNull();
            got.headers().forEach(e -> assertThat(e.getValue()).doesNotContain("\r").doesNotContain("\n"));
        } else {
            assertNothingUpstream();
        }
    }

    @Test
    void aFoldedHostIsRejected() {
        String answer = Hostile.raw("GET / HTTP/1.1\r\nHost: public.test\r\n .api.test\r\nConnection: close\r\n\r\n");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(400);
        assertNothingUpstream();
    }

    // ---- CR, LF, NUL in claims ----

    static Stream<Arguments> controlCharactersInClaims() {
        return Stream.of("\r\n", "\n", "\r", "\u0000", "\u000b", "\u000c", "\u007f", "\r\n\r\n", "\n\t").flatMap(cc ->
                Stream.of("sub", "email", "groups").map(claim -> Arguments.of(claim, cc)));
    }

    @ParameterizedTest(name = "{0} carrying {1}")
    @MethodSource
    void controlCharactersInClaims(String claim, String cc) {
        Map<String, Object> c = idp().engineer();
        String value = (claim.equals("sub") ? "alice" : claim.equals("email") ? "alice@example.com" : "engineering")
                + cc + "X-Injected: " + SPOOF;
        c.put(claim, claim.equals("groups") ? List.of(value, "ops") : value);
        HttpResponse<String> r = Http.get("headers.test", "/", idpSigned(c));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertThat(got.header("X-Injected")).isNull();
        assertThat(got.headers().size()).isLessThan(20);
        got.headers().forEach(e -> assertThat(e.getValue()).as(e.getKey())
                .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000"));
        // the assertion carries the claim intact (JSON-escaped inside a signed token)
        String assertion = got.header("X-Gatehouse-Assertion");
        JsonObject claims = new JsonObject(new String(unb64(assertion.split("\\.")[1]), StandardCharsets.UTF_8));
        String carried = claim.equals("groups") ? claims.getJsonArray("groups").getList().toString() : claims.getString(claim);
        assertThat(carried).contains(cc);
    }

    // ---- client address spoofing ----

    static Stream<Arguments> spoofedAddresses() {
        return Stream.of(
                new String[] {"X-Forwarded-For: 203.0.113.7"},
                new String[] {"X-Forwarded-For: 203.0.113.7, 203.0.113.8"},
                new String[] {"X-Forwarded-For: 10.0.0.1", "X-Forwarded-For: 203.0.113.7"},
                new String[] {"x-forwarded-for: 203.0.113.7"},
                new String[] {"X_Forwarded_For: 203.0.113.7"},
                new String[] {"X-Real-IP: 203.0.113.7"},
                new String[] {"Forwarded: for=203.0.113.7"},
                new String[] {"Forwarded: for=\"203.0.113.7:1234\";proto=https"},
                new String[] {"Forwarded: for=10.0.0.1, for=203.0.113.7"},
                new String[] {"True-Client-IP: 203.0.113.7"},
                new String[] {"X-Client-IP: 203.0.113.7"},
                new String[] {"CF-Connecting-IP: 203.0.113.7"},
                new String[] {"Fastly-Client-IP: 203.0.113.7"},
                new String[] {"X-Cluster-Client-IP: 203.0.113.7"},
                new String[] {"X-Originating-IP: 203.0.113.7"},
                new String[] {"Client-IP: 203.0.113.7"},
                new String[] {"X-Forwarded-For: 203.0.113.7", "X-Real-IP: 203.0.113.7", "Forwarded: for=203.0.113.7",
                    "True-Client-IP: 203.0.113.7", "CF-Connecting-IP: 203.0.113.7"})
                .map(h -> Arguments.of(List.of(h)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoofedAddresses")
    void aSourceIpPolicyIsNotFooledByClientHeaders(List<String> headers) {
        StringBuilder rawHeaders = new StringBuilder();
        for (String h : headers) {
            rawHeaders.append(h).append("\r\n");
        }
        String answer = Hostile.raw("GET / HTTP/1.1\r\nHost: office.test\r\nAuthorization: Bearer " + idp().validToken()
                + "\r\n" + rawHeaders + "Connection: close\r\n\r\n");
        assertThat(rawStatus(answer)).as(answer).isEqualTo(403);
        assertThat(answer).contains("\"reason\":\"source-ip-unauthorized\"");
        assertNothingUpstream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoofedAddresses")
    void clientAddressHeadersReachingTheUpstreamAreGatehouses(List<String> headers) {
        String answer = raw("public.test", null, headers.toArray(String[]::new));
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertThat(got.headers().getAll("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(got.headers().getAll("Forwarded")).containsExactly("for=127.0.0.1;proto=http;host=\"public.test\"");
        got.headers().forEach(e -> assertThat(e.getValue()).as(e.getKey()).doesNotContain("203.0.113."));
    }
}
