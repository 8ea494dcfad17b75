package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a {@link TestIdp} and a {@link RecordingUpstream}, writes a Gatehouse config that points
 * at them, and hands its path to Gatehouse as {@code gatehouse.config}. Tests reach both through
 * the static accessors.
 */
public class GatehouseTestResource implements QuarkusTestResourceLifecycleManager {
    private static Vertx vertx;
    private static TestIdp idp;
    private static RecordingUpstream upstream;
    private static RecordingUpstream tlsUpstream;

    /** An https upstream with a private CA (a self-signed certificate for "localhost"). */
    public static RecordingUpstream tlsUpstream() {
        return tlsUpstream;
    }

    public static TestIdp idp() {
        return idp;
    }

    public static RecordingUpstream upstream() {
        return upstream;
    }

    private boolean idpDownAtStart;
    private static Path dataDir;

    /** The data directory of the running Gatehouse (assertion keys, the embedded store). */
    public static Path dataDir() {
        return dataDir;
    }

    /** Init arg {@code idp-down-at-start=true}: the IdP refuses every connection until a test brings it up. */
    @Override
    public void init(Map<String, String> initArgs) {
        idpDownAtStart = Boolean.parseBoolean(initArgs.getOrDefault("idp-down-at-start", "false"));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        idp.setDown(idpDownAtStart);
        upstream = RecordingUpstream.start(vertx);
        // self-signed test certificates (openssl, 100 years) for "localhost" and "api.test"
        String upstreamCert = tls("localhost-cert.pem");
        tlsUpstream = RecordingUpstream.startTls(vertx, upstreamCert, tls("localhost-key.pem"));
        String yaml = """
                idps:
                  test:
                    issuer: %1$s
                    audience: gatehouse
                apps:
                  - id: api
                    host: api.test
                    upstream: %2$s
                    idp: test
                    policy:
                      allow:
                        and:
                          - groups: { has: engineering }
                          - device: { compliant: true, max-posture-age: 15m }
                  - id: api-admin
                    host: api.test
                    path-prefix: /admin
                    upstream: %2$s
                    idp: test
                    policy:
                      allow:
                        and:
                          - groups: { has: admins }
                  - id: public
                    host: public.test
                    upstream: %2$s/base
                    idp: test
                    policy:
                      allow: { accept: true }
                  - id: headers
                    host: headers.test
                    upstream: %2$s
                    idp: test
                    identity-headers: true
                    forward-token: true
                    whoami: full
                    policy:
                      allow: { authenticated_user: true }
                  - id: wild
                    host: "*.wild.test"
                    upstream: %2$s
                    idp: test
                    policy:
                      allow: { authenticated_user: true }
                  - id: office-only
                    host: office.test
                    upstream: %2$s
                    idp: test
                    whoami: off
                    policy:
                      allow: { authenticated_user: true }
                      deny:
                        or:
                          - source_ip: { not_in: [203.0.113.0/24] }
                  - id: docs
                    host: docs.test
                    upstream: %2$s
                    idp: test
                    policy:
                      allow: { authenticated_user: true }
                      deny:
                        or:
                          - http_path: { starts_with: /internal }
                  - id: loopback-only
                    host: loopback.test
                    upstream: %2$s
                    idp: test
                    policy:
                      allow:
                        or:
                          - source_ip: { in: [127.0.0.0/8, "::1/128"] }
                  - id: slow
                    host: slow.test
                    upstream: %2$s
                    idp: test
                    timeout: 1s
                    policy:
                      allow: { accept: true }
                  - id: dead
                    host: dead.test
                    upstream: http://127.0.0.1:9
                    idp: test
                    policy:
                      allow: { accept: true }
                  - id: tls-upstream
                    host: tls.test
                    upstream: https://localhost:%3$d
                    upstream-ca: %4$s
                    idp: test
                    policy:
                      allow: { accept: true }
                  - id: tls-untrusted
                    host: untrusted.test
                    upstream: https://localhost:%3$d
                    idp: test
                    policy:
                      allow: { accept: true }
                  - id: preserve
                    host: preserve.test
                    upstream: %2$s
                    idp: test
                    preserve-host: true
                    policy:
                      allow: { accept: true }
                  - id: small-body
                    host: small.test
                    upstream: %2$s
                    idp: test
                    max-body-size: 1KB
                    policy:
                      allow: { accept: true }
                  - id: no-delete
                    host: nodelete.test
                    upstream: %2$s
                    idp: test
                    policy:
                      allow: { authenticated_user: true }
                      deny: { http_method: { is: DELETE } }
                """.formatted(idp.issuer(), upstream.url(), tlsUpstream.port(), upstreamCert);
        try {
            Path file = Files.createTempFile("gatehouse-test", ".yaml");
            Files.writeString(file, yaml);
            // the data port also serves TLS (HTTP/2 by ALPN) with a self-signed certificate
            // a data directory of its own per start: the store (H2 file) begins empty in every test run
            dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gatehouse-data-");
            return Map.of("gatehouse.config", file.toString(), "gatehouse.data-dir", dataDir.toString(),
                    "quarkus.http.ssl.certificate.files", tls("api.test-cert.pem"),
                    "quarkus.http.ssl.certificate.key-files", tls("api.test-key.pem"),
                    "quarkus.http.test-ssl-port", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tls(String name) {
        return Path.of("src/test/resources/tls", name).toAbsolutePath().toString();
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
