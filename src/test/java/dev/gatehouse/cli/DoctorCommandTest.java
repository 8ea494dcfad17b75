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

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        upstream = RecordingUpstream.start(vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run doctor(String issuer, String upstreamUrl, String extraIdpLines) throws IOException {
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
                      allow: { authenticated_user: true }
                """.formatted(issuer, extraIdpLines, upstreamUrl));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DoctorCommand(Map.of("DOCTOR_SECRET", "s3cret"), Duration.ofSeconds(2))
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
}
