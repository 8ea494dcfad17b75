package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Behind a load balancer that speaks the PROXY protocol ({@code quarkus.http.proxy.use-proxy-protocol}),
 * Vert.x builds the HTTP pipeline only after the PROXY header: the strict decoder must still be in
 * place, and the client address is the one the header names.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(ProxyProtocolTest.ProxyProtocol.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyProtocolTest {
    private static final String PROXY_HEADER = "PROXY TCP4 198.51.100.7 127.0.0.1 40000 8080\r\n";

    /** The data port expects a PROXY protocol header first; request heads are due within 1 s. */
    public static class ProxyProtocol implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.use-proxy-protocol", "true", "gatehouse.connection.head-timeout", "PT1S");
        }
    }

    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    /**
     * First on a fresh Gatehouse: guarded only if the startup probe, which must speak the PROXY
     * protocol itself here, hooked the listening socket (Vert.x's own PROXY header timeout is 10 s).
     */
    @Test
    @Order(1)
    void aSilentConnectionIsClosedAtTheHeadDeadline() throws Exception {
        Thread.sleep(1000);
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            assertThat(Http.millisUntilClosedUnanswered(s)).isBetween(700L, 5000L);
        }
    }

    @Test
    void aCleanRequestIsForwardedWithTheAddressOfTheProxyHeader() throws IOException {
        String answer = send(PROXY_HEADER + "GET / HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(upstream.last().header("X-Forwarded-For")).isEqualTo("198.51.100.7");
    }

    @Test
    void obsoleteLineFoldingAfterAProxyHeaderIsStill400() throws IOException {
        String answer = send(PROXY_HEADER + "GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n b\r\n\r\n");
        assertThat(answer).matches("(?s)HTTP/1\\.[01] 400.*");
        assertThat(upstream.hits()).isZero();
    }

    private static String send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
