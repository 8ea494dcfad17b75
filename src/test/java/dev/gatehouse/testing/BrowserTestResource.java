package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link TestIdp} with its browser endpoints ({@link CodeFlowIdp}), a {@link RecordingUpstream},
 * and apps of every login mode under the cookie domain {@code corp.test} plus one outside it.
 */
public class BrowserTestResource implements QuarkusTestResourceLifecycleManager {
    private static Vertx vertx;
    private static TestIdp idp;
    private static TestIdp tlsIdp;

    /** A second IdP, over https with a certificate of a private CA ({@code ca-file} in the config). */
    public static TestIdp tlsIdp() {
        return tlsIdp;
    }
    private static RecordingUpstream upstream;

    public static TestIdp idp() {
        return idp;
    }

    public static RecordingUpstream upstream() {
        return upstream;
    }

    /**
     * After {@link GatehouseTestResource}, which applies to every test: this config file and data
     * directory win for the classes that name this resource (restricted to them).
     */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        idp.codeFlow().enabled = true;
        tlsIdp = TestIdp.startTls(vertx, TestTls.LOCALHOST_CERT.toString(), TestTls.LOCALHOST_KEY.toString());
        tlsIdp.codeFlow().enabled = true;
        upstream = RecordingUpstream.start(vertx);
        String yaml = """
                idps:
                  test:
                    issuer: %1$s
                    audience: gatehouse
                    client-id: %3$s
                    client-secret: %4$s
                  private-ca:
                    issuer: %5$s
                    audience: gatehouse
                    client-id: %3$s
                    client-secret: %4$s
                    ca-file: %6$s
                apps:
                  - id: intranet
                    host: intranet.corp.test
                    upstream: %2$s
                    idp: private-ca
                    login: both
                    policy:
                      allow: { groups: { has: engineering } }
                  - id: wiki
                    host: wiki.corp.test
                    upstream: %2$s
                    idp: test
                    login: browser
                    policy:
                      allow: { groups: { has: engineering } }
                  - id: both
                    host: both.corp.test
                    upstream: %2$s
                    idp: test
                    login: both
                    policy:
                      allow: { authenticated_user: true }
                  - id: bearer
                    host: bearer.corp.test
                    upstream: %2$s
                    idp: test
                    login: bearer
                    policy:
                      allow: { authenticated_user: true }
                  - id: fresh
                    host: fresh.corp.test
                    upstream: %2$s
                    idp: test
                    login: both
                    policy:
                      allow: { max-auth-age: 5m }
                  - id: strong
                    host: strong.corp.test
                    upstream: %2$s
                    idp: test
                    login: both
                    policy:
                      allow: { acr: { in: [gold, platinum] } }
                  - id: short
                    host: short.corp.test
                    upstream: %2$s
                    idp: test
                    login: browser
                    session: { max-age: 30m, idle-timeout: 5m }
                    policy:
                      allow: { authenticated_user: true }
                  - id: elsewhere
                    host: app.other.test
                    upstream: %2$s
                    idp: test
                    login: browser
                    policy:
                      allow: { authenticated_user: true }
                """.formatted(idp.issuer(), upstream.url(), CodeFlowIdp.CLIENT_ID, CodeFlowIdp.CLIENT_SECRET,
                        tlsIdp.issuer(), TestTls.LOCALHOST_CERT);
        try {
            Path file = Files.createTempFile("gatehouse-browser-test", ".yaml");
            Files.writeString(file, yaml);
            Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gatehouse-browser-data-");
            return Map.of("gatehouse.config", file.toString(), "gatehouse.data-dir", dataDir.toString(),
                    "gatehouse.session.cookie-domain", "corp.test",
                    // two IdPs (one behind a private CA): the admin API's is named
                    "gatehouse.admin.idp", "test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
