package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.testing.TestIdp;
import dev.gatehouse.testing.TestTls;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An IdP on https with a certificate of a private CA: reached with {@code ca-file}, refused without
 * it (the JVM's trust store does not know the CA: fail closed, never trust-all).
 */
class IdpClientTrustTest {
    private static Vertx vertx;
    private static TestIdp idp;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        idp = TestIdp.startTls(vertx, TestTls.LOCALHOST_CERT.toString(), TestTls.LOCALHOST_KEY.toString());
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static IdpConfig idp(String caLine) {
        String yaml = """
                idps:
                  corp:
                    issuer: %s
                    audience: gatehouse
                %s
                apps: []
                """.formatted(idp.issuer(), caLine);
        return ConfigLoader.withEnvironment(Map.of()).parse(yaml, "test").idps().get("corp");
    }

    @Test
    void withTheCaFileDiscoveryAndKeysAreFetched() throws Exception {
        IdpClient client = new IdpClient(vertx, Clock.systemUTC());
        IdpConfig corp = idp("    ca-file: " + TestTls.LOCALHOST_CERT);
        IdpEndpoints e = client.endpoints(corp).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(e.token()).isEqualTo(idp.issuer() + "/token");
        assertThat(client.keys(corp, false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .getJsonWebKeys()).hasSize(1);
    }

    @Test
    void withoutItTheIdpIsRefused() {
        IdpClient client = new IdpClient(vertx, Clock.systemUTC());
        var f = client.endpoints(idp("")).toCompletionStage().toCompletableFuture();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("javax.net.ssl.SSLHandshakeException");
    }

    @Test
    void anotherCaDoesNotVouchForIt() {
        IdpClient client = new IdpClient(vertx, Clock.systemUTC());
        var f = client.endpoints(idp("    ca-file: src/test/resources/tls/api.test-cert.pem"))
                .toCompletionStage().toCompletableFuture();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("javax.net.ssl.SSLHandshakeException");
    }
}
