package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gatehouse doctor} against a real IdP and upstream: a working config, a wrong issuer, an
 * unreachable IdP and a dead upstream give four different, plain answers.
 */
class DoctorCommandTest {
    private static Vertx vertx;
    private static TestIdp idp;
    private static RecordingUpstream upstream;
    private static ClientCredentialsIdp tokens;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        upstream = RecordingUpstream.start(vertx);
        tokens = ClientCredentialsIdp.start(vertx);
    }

    private static final String CLIENT = "    client-id: gatehouse\n    client-secret: ${DOCTOR_SECRET}\n";

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run doctor(String issuer, String upstreamUrl, String extraIdpLines) throws IOException {
        return doctor(issuer, upstreamUrl, extraIdpLines, "allow: { authenticated_user: true }");
    }

    /** @param policy the app's policy, one YAML line */
    private static Run doctor(String issuer, String upstreamUrl, String extraIdpLines, String policy) throws IOException {
        return doctor(issuer, upstreamUrl, extraIdpLines, policy, Duration.ofSeconds(2));
    }

    private static Run doctor(String issuer, String upstreamUrl, String extraIdpLines, String policy, Duration timeout)
            throws IOException {
        Path config = Files.createTempFile("doctor", ".yaml");
        Files.writeString(config, """
                idps:
                  corp:
                    issuer: %s
                    audience: gatehouse
                %s
                apps:
                  - id: wiki
                    host: wiki.example.com
                    upstream: %s
                    idp: corp
                    policy:
                      %s
                """.formatted(issuer, extraIdpLines, upstreamUrl, policy));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DoctorCommand(Map.of("DOCTOR_SECRET", "s3cret"), timeout)
                .run(new String[] {config.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWorkingConfigBreaksNothing() throws IOException {
        Run r = doctor(idp.issuer(), upstream.url(), "");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("OK   idp corp: discovery answers and names the configured issuer")
                .contains("OK   idp corp: 1 signing key at " + idp.issuer() + "/certs")
                .contains("OK   upstream wiki: " + upstream.url() + " answered 200")
                .contains("nothing would break");
    }

    @Test
    void aWrongIssuerIsNamedWithTheFix() throws IOException {
        // the same IdP under another name of the host: it answers, but tokens name 127.0.0.1
        String wrong = idp.issuer().replace("127.0.0.1", "localhost");
        Run r = doctor(wrong, upstream.url(), "");
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL idp corp: the IdP calls itself '" + idp.issuer() + "' but the config says '"
                + wrong + "'").contains("wrong-issuer").contains("set issuer to '" + idp.issuer() + "'");
    }

    @Test
    void anUnreachableIdpMeansEveryRequestGets401() throws IOException {
        Run r = doctor("http://127.0.0.1:1/realms/corp", upstream.url(), "");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL idp corp: cannot reach http://127.0.0.1:1/realms/corp/.well-known/openid-configuration")
                .contains("connection refused").contains("every request to its apps would get 401")
                .contains("OK   upstream wiki");
    }

    @Test
    void anIdpBehindAPrivateCaIsProbedThroughItsCaFile() throws IOException {
        TestIdp tls = TestIdp.startTls(vertx, dev.gatehouse.testing.TestTls.LOCALHOST_CERT.toString(),
                dev.gatehouse.testing.TestTls.LOCALHOST_KEY.toString());
        try {
            // a TLS handshake on a loaded test machine may take longer than the other probes' 2 s
            Run trusted = doctor(tls.issuer(), upstream.url(), "    ca-file: " + dev.gatehouse.testing.TestTls.LOCALHOST_CERT,
                    "allow: { authenticated_user: true }", Duration.ofSeconds(20));
            assertThat(trusted.code()).as(trusted.out()).isZero();
            assertThat(trusted.out()).contains("OK   idp corp: 1 signing key at " + tls.issuer() + "/certs");
            Run untrusted = doctor(tls.issuer(), upstream.url(), "", "allow: { authenticated_user: true }",
                    Duration.ofSeconds(20));
            assertThat(untrusted.code()).isEqualTo(1);
            assertThat(untrusted.out()).contains("FAIL idp corp: cannot reach " + tls.issuer()).contains("PKIX");
        } finally {
            tls.stop();
        }
    }

    @Test
    void anHttpsUpstreamIsProbedThroughItsUpstreamCa() throws IOException {
        RecordingUpstream tls = RecordingUpstream.startTls(vertx, dev.gatehouse.testing.TestTls.LOCALHOST_CERT.toString(),
                dev.gatehouse.testing.TestTls.LOCALHOST_KEY.toString());
        String url = "https://localhost:" + tls.port();
        Run trusted = doctor(idp.issuer(), url + "\n    upstream-ca: " + dev.gatehouse.testing.TestTls.LOCALHOST_CERT,
                "", "allow: { authenticated_user: true }", Duration.ofSeconds(20));
        assertThat(trusted.out()).contains("OK   upstream wiki: " + url + " answered 200");
        Run untrusted = doctor(idp.issuer(), url, "", "allow: { authenticated_user: true }", Duration.ofSeconds(20));
        assertThat(untrusted.out()).contains("FAIL upstream wiki: no answer from " + url);
    }

    @Test
    void aDeadUpstreamMeans502() throws IOException {
        Run r = doctor(idp.issuer(), "http://127.0.0.1:9", "");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL upstream wiki: no answer from http://127.0.0.1:9 (connection refused): "
                + "requests to wiki.example.com/ would get 502").contains("OK   idp corp: discovery answers");
    }

    @Test
    void refusedClientCredentialsAreReported() throws IOException {
        Run r = doctor(idp.issuer(), upstream.url(), "    client-id: gatehouse\n    client-secret: ${DOCTOR_SECRET}");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL idp corp: the token endpoint refuses client 'gatehouse' (404)")
                .doesNotContain("s3cret");
    }

    @Test
    void anInvalidConfigIsAUsageError() throws IOException {
        Path config = Files.createTempFile("doctor", ".yaml");
        Files.writeString(config, "idps: {}\napps: [ {id: x} ]\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DoctorCommand.standard().run(new String[] {config.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("apps[0]");
    }

    @Test
    void aServiceAccountTokenWithoutUserClaimsIsAWarningNotAFailure() throws IOException {
        tokens.issue(Map.of("sub", "service-account-1", "realm_access", Map.of("roles", List.of("offline_access"))));
        Run r = doctor(tokens.issuer(), upstream.url(), CLIENT);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("OK   idp corp: the client id and secret are accepted by the token endpoint")
                .contains("OK   idp corp: every configured claim present in the client-credentials token has the type "
                        + "Gatehouse reads")
                .contains("nothing would break")
                .as("the config sets no claims and its policy reads none: no default path is missing")
                .doesNotContain("has no").doesNotContain("sub (subject)").doesNotContain("s3cret");
    }

    /**
     * Only the claims the config asks for are reported absent: those it sets under claims: (here
     * device-trust) and those its policies read (groups, roles, device compliance and posture time),
     * never a default path nothing depends on (email, name, device id, device managed).
     */
    @Test
    void onlyTheClaimsTheConfigAsksForAreReportedAbsent() throws IOException {
        tokens.issue(Map.of("sub", "service-account-1"));
        Run r = doctor(tokens.issuer(), upstream.url(), CLIENT + "    claims: { device-trust: trust_level }\n",
                "{ allow: { and: [ { groups: { has: engineering } }, { device: { compliant: true, max-posture-age: 15m } } ] }, "
                        + "deny: { not: [ { roles: { has: staff } } ] } }");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("WARN idp corp: the client-credentials token has no groups (groups), "
                        + "realm_access.roles (roles), device_compliant (device-compliant), trust_level (device-trust), "
                        + "device_posture_at (device-posture-at); a service-account token often lacks user claims")
                .doesNotContain("email (email)").doesNotContain("name (name)").doesNotContain("device_id (device-id)")
                .doesNotContain("device_managed (device-managed)");
    }

    @Test
    void claimsOfTheWrongJsonTypeAreNamedInPlainWords() throws IOException {
        tokens.issue(Map.ofEntries(Map.entry("sub", "alice"), Map.entry("groups", List.of("engineering", 7)),
                Map.entry("device_compliant", "true"), Map.entry("device_posture_at", "1700000000"),
                Map.entry("device_trust", 2.5), Map.entry("name", "Alice"), Map.entry("email", "a@corp.example"),
                Map.entry("email_verified", true), Map.entry("device_id", "laptop-1"), Map.entry("device_managed", false),
                Map.entry("realm_access", Map.of("roles", "admin"))));
        Run r = doctor(tokens.issuer(), upstream.url(), CLIENT);
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out())
                .contains("FAIL idp corp: claim device_compliant is the string \"true\"; Gatehouse needs a JSON boolean "
                        + "(true, not \"true\"), so device: { compliant: true } would never grant")
                .contains("FAIL idp corp: claim device_posture_at is the string \"1700000000\"; Gatehouse needs a JSON "
                        + "integer, so device: { max-posture-age: ... } would never grant")
                .contains("FAIL idp corp: claim device_trust is the number 2.5; Gatehouse needs a JSON integer")
                .contains("FAIL idp corp: claim groups is a list with non-string items [engineering, 7]; Gatehouse "
                        + "needs a JSON list of strings (or one string), so groups criteria would be unknown")
                .doesNotContain("claim realm_access.roles").doesNotContain("claim sub ").doesNotContain("claim name ")
                .doesNotContain("has no ").contains("4 problems would break requests");
    }

    @Test
    void configuredSubjectEmailAndNameClaimsAreTheOnesChecked() throws IOException {
        // Entra-style: the user id in oid, the email in upn; oid missing, upn a number, no email_verified
        tokens.issue(Map.of("sub", "pairwise", "upn", 42, "preferred_username", "svc", "aud", "account"));
        Run r = doctor(tokens.issuer(), upstream.url(), CLIENT
                + "    claims: { subject: oid, email: upn, name: preferred_username, roles: roles }\n");
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL idp corp: claim upn is the number 42; Gatehouse needs a JSON string, "
                        + "so email and domain criteria would be unknown")
                .contains("WARN idp corp: the client-credentials token has no oid (claims.subject): if people's tokens "
                        + "lack it too, every token is refused (missing-subject)")
                .contains("the client-credentials token has no roles (roles); a service-account token")
                .contains("WARN idp corp: the client-credentials token has aud the string \"account\", not 'gatehouse': "
                        + "a bearer token like it would be refused as wrong-audience")
                .doesNotContain("preferred_username (name)").doesNotContain("email (email)")
                .doesNotContain("groups (groups)").doesNotContain("device_id (device-id)");
    }

    @Test
    void anUnverifiedEmailAndAnOpaqueTokenAreExplained() throws IOException {
        tokens.issue(Map.of("sub", "alice", "email", "a@corp.example", "email_verified", "true"));
        Run r = doctor(tokens.issuer(), upstream.url(), CLIENT);
        assertThat(r.out()).contains("WARN idp corp: the token carries an email but email_verified is the string "
                + "\"true\", not true: email and domain criteria will not use it");
        assertThat(doctor(tokens.issuer(), upstream.url(), CLIENT + "    trust-email: true\n").out())
                .doesNotContain("email_verified");
        tokens.issueRaw("opaque-2YotnFZFEjr1zCsicMWpAA");
        Run opaque = doctor(tokens.issuer(), upstream.url(), CLIENT);
        assertThat(opaque.out()).contains("WARN idp corp: the token endpoint issued an access token that is not a JWT")
                .doesNotContain("opaque-2Yotn");
    }

    @Test
    void aWrongSecretGetsNoTokenAndIsAFailure() throws IOException {
        tokens.issue(Map.of("sub", "alice"));
        Run r = doctor(tokens.issuer(), upstream.url(), "    client-id: gatehouse\n    client-secret: wrong\n");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL idp corp: the token endpoint refuses client 'gatehouse' (401 invalid_client)")
                .doesNotContain("claim");
    }

    @Test
    void aRequestErrorIsNoVerdictOnTheSecret() throws IOException {
        // Entra ID without a scope: invalid_request, before the secret is looked at
        tokens.refuseRequestsWith("invalid_request");
        Run r = doctor(tokens.issuer(), upstream.url(), CLIENT);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("WARN idp corp: the token endpoint answered 400 invalid_request to a "
                + "client-credentials request: the IdP wants more than Gatehouse sends here, so the client secret "
                + "and the token's claims were not checked").doesNotContain("refuses");
        tokens.refuseRequestsWith("invalid_client");
        assertThat(doctor(tokens.issuer(), upstream.url(), CLIENT).out())
                .contains("FAIL idp corp: the token endpoint refuses client 'gatehouse' (400 invalid_client)");
        tokens.issue(Map.of("sub", "alice"));
    }
}
