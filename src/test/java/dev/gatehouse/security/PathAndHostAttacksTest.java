package dev.gatehouse.security;

import static dev.gatehouse.security.Hostile.assertNothingUpstream;
import static dev.gatehouse.security.Hostile.assertRefused;
import static dev.gatehouse.security.Hostile.idp;
import static dev.gatehouse.security.Hostile.rawStatus;
import static dev.gatehouse.security.Hostile.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths and hosts built to make the policy and the upstream disagree about what is requested:
 * encoded, double-encoded and overlong traversal, path parameters, backslashes, control bytes,
 * fragments, absolute-form targets, odd Host values and the override headers frameworks route on.
 * The engineer's token is allowed on {@code api.test} but not under {@code /admin}, so any trick
 * that let a request reach {@code /admin} past the {@code api-admin} policy would show as a 200.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(HostileInputProfile.class)
class PathAndHostAttacksTest {
    @BeforeEach
    void setUp() {
        upstream().reset();
    }

    private static String request(String target, String host, String... headers) {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
        if (host != null) {
            sb.append("Host: ").append(host).append("\r\n");
        }
        sb.append("Authorization: Bearer ").append(idp().validToken()).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    private static void assertRawRejected(String raw) {
        String answer = Hostile.raw(raw);
        assertThat(rawStatus(answer)).as(answer).isEqualTo(400);
        assertThat(answer).as("closed after the 400").doesNotContain("<<timeout");
        assertNothingUpstream();
    }

    // ---- paths ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/docs/../admin", "/docs/./../admin", "/docs/%2e%2e/admin", "/docs/%2E%2E/admin", "/docs/%2e%2E/admin",
        "/docs/.%2e/admin", "/docs/%2e./admin", "/docs/%2e/admin", "/docs/./admin", "/..", "/%2e%2e", "/docs/..",
        "/docs/..%2fadmin", "/docs/..%2Fadmin", "/docs%2f..%2fadmin", "/admin%2fusers", "/docs/..%5cadmin",
        "/docs/..%5Cadmin", "/docs/%252e%252e/admin", "/docs/%252E%252E/admin", "/docs/%25%32%65%25%32%65/admin",
        "/docs/%252f/admin", "/docs/%255c/admin", "/docs/%2525/x", "/docs/%c0%ae%c0%ae/admin",
        "/docs/%C0%AE%C0%AE/admin", "/docs/%e0%80%ae%e0%80%ae/admin", "/docs/%c0%af/admin", "/docs/%c1%9c/admin",
        "/docs/%f0%80%80%af/admin", "/docs/%ff/admin", "/docs/%80/admin", "/docs/%e2%82/admin", "/docs/%/admin",
        "/docs/%2/admin", "/docs/%zz/admin", "/admin;x=1", "/admin;", "/docs;/../admin", "/docs/..;/admin",
        "/docs/%3b/../admin", "/a%00b", "/a%0ab", "/a%0d%0aX-Injected:%201", "/a%09b", "/a%7fb", "/a%01b",
        "/docs/..%00/admin", "/docs/%2e%2e%00/admin"})
    void hostilePathsAre400(String path) {
        assertRawRejected(request(path, "api.test"));
    }

    @ParameterizedTest(name = "raw bytes {0}")
    @ValueSource(strings = {"/docs\\..\\admin", "/admin\\", "\\admin", "/a\u0000b", "/a\u0001b", "/a\u007fb",
        "/a\u001bb", "/docs#/../admin", "/admin#x", "/caf\u00e9", "/a\u00ffb", "/docs/..\u0000/admin", "/a\tb"})
    void rawBackslashesControlBytesFragmentsAndNonAscii(String path) {
        assertRawRejected(request(path, "api.test"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/ADMIN", "/Admin/users", "/aDmIn/x", "/%41DMIN"})
    void theLetterCaseOfAPathDoesNotDodgeThePrefixAppAndItsPolicy(String path) {
        // Express, ASP.NET and IIS route case-insensitively: /ADMIN is /admin to them, so to us too
        assertRefused(Http.get("api.test", path, idp().validToken()), 403, "groups-unauthorized");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/INTERNAL/x", "/Internal", "/iNtErNaL/a/b", "/%49nternal/x"})
    void anHttpPathDenyIsNotEscapedByLetterCase(String path) {
        // docs.test denies http_path starts_with /internal: deny-side path matchers ignore case
        assertRefused(Http.get("docs.test", path, idp().validToken()), 403, "http-path-unauthorized");
    }

    @Test
    void encodedUnreservedCharactersAreDecodedSoThePolicySeesTheRealPath() {
        for (String path : List.of("/%61dmin", "/%61%64%6d%69%6e/users", "/%41dmin/../x".replace("/../x", ""), "//admin",
                "///admin//users")) {
            HttpResponse<String> r = Http.get("api.test", path, idp().validToken());
            // /Admin too: path prefixes route ignoring case (many upstreams do), so it is the /admin app
            assertRefused(r, 403, "groups-unauthorized");
        }
    }

    @Test
    void theForwardedPathIsTheOneThePolicySaw() {
        HttpResponse<String> r = Http.get("api.test", "/docs/%7euser/%41b%2Dc?q=%2e%2e/admin", idp().validToken());
        assertThat(r.statusCode()).isEqualTo(200);
        // unreserved decoded in the path; the query is the app's business and passes untouched
        assertThat(upstream().last().uri()).isEqualTo("/docs/~user/Ab-c?q=%2e%2e/admin");
    }

    @Test
    void reservedCharactersStayEncodedUpstream() {
        HttpResponse<String> r = Http.get("api.test", "/docs/a%3fb%23c%20d", idp().validToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream().last().uri()).isEqualTo("/docs/a%3Fb%23c%20d");
    }

    // ---- request targets against Host ----

    @ParameterizedTest(name = "{0} with Host {1}")
    @MethodSource
    void absoluteFormTargetsThatDisagreeWithHost(String target, String host) {
        assertRawRejected(request(target, host));
    }

    static Stream<Arguments> absoluteFormTargetsThatDisagreeWithHost() {
        return Stream.of(
                Arguments.of("http://api.test/admin", "public.test"),
                Arguments.of("http://public.test@api.test/admin", "public.test"),
                Arguments.of("http://api.test@public.test/", "public.test"),
                Arguments.of("http://api.test:80/admin", "api.test"),
                Arguments.of("https://api.test/docs/../admin", "api.test"),
                Arguments.of("http://api.test", "public.test"),
                Arguments.of("ftp://api.test/", "api.test"),
                Arguments.of("*", "api.test"),
                Arguments.of("admin", "api.test"),
                Arguments.of("api.test/admin", "api.test"));
    }

    @Test
    void anAbsoluteFormTargetMatchingHostRoutesByItsPathOnly() {
        String answer = Hostile.raw(request("HTTP://API.TEST/admin/users", "api.test"));
        assertThat(rawStatus(answer)).as(answer).isEqualTo(403);
        assertThat(answer).contains("groups-unauthorized");
        assertNothingUpstream();
    }

    @Test
    void aNetworkPathReferenceIsAPathOnTheHostsApp() {
        String answer = Hostile.raw(request("//api.test/admin", "public.test"));
        assertThat(rawStatus(answer)).as(answer).isEqualTo(200);
        assertThat(upstream().received()).hasSize(1);
        assertThat(upstream().last().uri()).isEqualTo("/base/api.test/admin");
    }

    // ---- hosts ----

    @ParameterizedTest(name = "Host {0}")
    @ValueSource(strings = {"API.TEST", "api.test.", "Api.Test.", "API.TEST:80", "api.test.:8080", "api.test:00080"})
    void hostCaseTrailingDotAndPortRouteToTheSameApp(String host) {
        HttpResponse<String> anonymous = Http.get(host, "/admin/x", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(anonymous.body()).getString("app")).isEqualTo("api-admin");
        HttpResponse<String> engineer = Http.get(host, "/admin/x", idp().validToken());
        assertRefused(engineer, 403, "groups-unauthorized");
        assertThat(Http.get(host, "/docs", idp().validToken()).statusCode()).isEqualTo(200);
        assertThat(upstream().received()).hasSize(1);
    }

    @Test
    void wildcardHostsNormaliseToo() {
        assertThat(Http.get("DEEP.Sub.WILD.test.", "/", idp().validToken()).statusCode()).isEqualTo(200);
        assertThat(upstream().received()).hasSize(1);
    }

    @ParameterizedTest(name = "Host ''{0}''")
    @ValueSource(strings = {"", "api.test@evil.test", "evil.test#api.test", "evil.test/api.test", "api.test:99999",
        "api.test:abc", "api.test:", "api..test", ".api.test", "api_test", "api.test..", "[::1", "[::1]x",
        "api.test%00", "api.test\u0000", "api.test evil.test", "api.test,evil.test", "\u00e4pi.test",
        "evil.test\\api.test"})
    void malformedHostsAre400(String host) {
        assertRawRejected(request("/", host));
    }

    @Test
    void twoHostHeadersInAnyCaseAre400() {
        assertRawRejected(request("/", "public.test", "host: api.test"));
        assertRawRejected(request("/", "public.test", "HOST: public.test"));
        assertRawRejected(request("/", null, "Host: api.test", "Host: api.test"));
    }

    @Test
    void unknownHostsAre404AndContactNothing() {
        for (String host : List.of("test", "evil.test", "api.test.evil.test", "wild.test", "127.0.0.1", "[::1]", "localhost")) {
            assertRefused(Http.get(host, "/", idp().validToken()), 404, "route-not-found");
        }
    }

    // ---- override headers never steer routing or policy ----

    static Stream<String> overrideHeaders() {
        return Stream.of("X-Original-URL", "X-Rewrite-URL", "X-Original-URI", "X-Forwarded-Uri", "X-Forwarded-Prefix",
                "X-Forwarded-Path", "X-Forwarded-Host", "X-Forwarded-Server", "X-Original-Host", "x-original-url",
                "X-ORIGINAL-URL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overrideHeaders")
    void overrideHeadersToAForbiddenPathAreIgnoredAndStripped(String header) {
        String value = header.toLowerCase().contains("host") || header.toLowerCase().contains("server") ? "admin.test" : "/admin";
        HttpResponse<String> r = Http.send(Http.to("api.test", "/docs?x=1")
                .header("Authorization", "Bearer " + idp().validToken()).header(header, value).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        RecordingUpstream.Received got = upstream().last();
        assertThat(got.uri()).isEqualTo("/docs?x=1");
        if (header.equalsIgnoreCase("X-Forwarded-Host")) {
            assertThat(got.headers().getAll("X-Forwarded-Host")).containsExactly("api.test");
        } else {
            assertThat(got.header(header)).as(header + " stripped").isNull();
        }
        assertThat(got.headers().getAll("X-Forwarded-Host")).containsExactly("api.test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overrideHeaders")
    void overrideHeadersPointingAwayFromAForbiddenPathDoNotUnlockIt(String header) {
        String value = header.toLowerCase().contains("host") || header.toLowerCase().contains("server") ? "public.test" : "/docs";
        HttpResponse<String> r = Http.send(Http.to("api.test", "/admin/users")
                .header("Authorization", "Bearer " + idp().validToken()).header(header, value).build());
        assertRefused(r, 403, "groups-unauthorized");
    }

    @Test
    void forwardedHostFromAClientDoesNotChooseTheApp() {
        HttpResponse<String> r = Http.send(Http.to("nowhere.test", "/").header("X-Forwarded-Host", "public.test")
                .header("Forwarded", "host=public.test").build());
        assertRefused(r, 404, "route-not-found");
    }

    // ---- Quarkus's own endpoints are never served on an app's host ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi",
        "/q/dev-ui", "/q/dev-ui/", "/q/swagger-ui", "/q/swagger-ui/", "/q/dev", "/q/info", "/q/arc", "/openapi",
        "/swagger-ui", "/q/%6detrics", "//q/metrics"})
    void quarkusEndpointsBelongToTheAppsPolicy(String path) {
        HttpResponse<String> anonymous = Http.get("api.test", path, null);
        assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
        assertThat(new JsonObject(anonymous.body()).getString("app")).isEqualTo("api");
        assertNothingUpstream();
        // on an app that lets everyone in, the path is the upstream's, not Quarkus's
        HttpResponse<String> open = Http.get("public.test", path, null);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).isEqualTo("ok");
        assertThat(open.headers().firstValue("X-Upstream")).hasValue("recording");
        assertThat(upstream().last().uri()).isEqualTo("/base" + path.replace("%6d", "m").replace("//", "/"));
        // and on no app at all, nothing answers
        assertThat(Http.get("nowhere.test", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void managementEndpointsAnswerOnlyOnTheManagementPort() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var mgmt = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + Http.managementPort() + "/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(mgmt.statusCode()).isEqualTo(200);
        HttpResponse<String> data = Http.get("127.0.0.1", "/q/health/live", null);
        assertThat(data.statusCode()).isEqualTo(404);
        assertNothingUpstream();
    }
}
