package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind trusted proxies (here: the test client's own loopback address) the client address comes
 * from {@code X-Forwarded-For}: every line counts, a {@code :port} is stripped, and a hop that cannot
 * be parsed makes the client UNKNOWN, never the proxy's own address, so {@code source_ip} cannot
 * grant. Per-address rate limits count IPv6 clients by /64.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(TrustedProxiesTest.BehindProxy.class)
class TrustedProxiesTest {
    /** Loopback is a trusted proxy; one request per second per client address, bursts of two. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.trusted-proxies", "127.0.0.0/8,::1/128", "gatehouse.rate-limit.per-ip", "1");
        }
    }

    RecordingUpstream upstream;
    @Inject
    TestClock clock;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Refills every rate-limit bucket: time advances instead of the test sleeping. */
    private void later() {
        clock.advance(Duration.ofSeconds(10));
    }

    /** The office.test app denies every client outside 203.0.113.0/24. */
    private String office(String... xffLines) {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: office.test\r\nConnection: close\r\n")
                .append("Authorization: Bearer ").append(GatehouseTestResource.idp().validToken()).append("\r\n");
        clock.advance(Duration.ofSeconds(10));
        for (String line : xffLines) {
            head.append("X-Forwarded-For: ").append(line).append("\r\n");
        }
        return Http.raw(head.append("\r\n").toString());
    }

    private String loopbackApp(String xff) {
        later();
        return Http.raw("GET / HTTP/1.1\r\nHost: loopback.test\r\nConnection: close\r\nX-Forwarded-For: " + xff
                + "\r\n\r\n");
    }

    @Test
    void everyForwardedForLineCountsAndAllReachTheUpstream() {
        assertThat(office("198.51.100.1", "203.0.113.7")).startsWith("HTTP/1.1 200");
        assertThat(upstream.last().header("X-Forwarded-For"))
                .as("both lines of the chain, then the proxy that sent them")
                .isEqualTo("198.51.100.1, 203.0.113.7, 127.0.0.1");
        assertThat(office("203.0.113.8", "198.51.100.2")).as("the right-most untrusted hop decides").startsWith("HTTP/1.1 403");
    }

    @Test
    void aValidPortIsStripped() {
        assertThat(office("203.0.113.9:51234")).startsWith("HTTP/1.1 200");
        assertThat(upstream.last().header("Forwarded")).startsWith("for=203.0.113.9;");
        assertThat(office("[2001:db8::7]:443")).as("IPv6 with a port, outside the office network").startsWith("HTTP/1.1 403");
    }

    @Test
    void anUnparseableHopMakesTheClientUnknownNotTheProxy() {
        // the loopback app allows 127.0.0.0/8: falling back to the proxy's own address would let these in
        for (String garbage : new String[] {"unknown", "10.0.0.1:99999", "[2001:db8::1]:0", "[2001:db8::1]x",
                "client.example.com", "010.0.0.1", "203.0.113.7, unknown"}) {
            String answer = loopbackApp(garbage);
            assertThat(answer).as(garbage).startsWith("HTTP/1.1 401");
        }
        assertThat(upstream.hits()).isZero();
        assertThat(office("nonsense")).as("an unknown client never satisfies an office-only rule").startsWith("HTTP/1.1 403");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void ipv6ClientsAreRateLimitedByTheirSlash64() {
        String prefix = "2001:db8:" + Integer.toHexString((int) (System.nanoTime() & 0xffff)) + ":1:";
        later();
        int limited = 0;
        for (int i = 1; i <= 4; i++) {
            String answer = Http.raw("GET / HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\nX-Forwarded-For: "
                    + prefix + Integer.toHexString(i) + "::1\r\n\r\n");
            if (answer.startsWith("HTTP/1.1 429")) {
                limited++;
            }
        }
        assertThat(limited).as("four addresses of one /64 share a burst of two").isGreaterThanOrEqualTo(2);
        later();
        String other = Http.raw("GET / HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\nX-Forwarded-For: 2001:db8:ffff:"
                + Integer.toHexString((int) (System.nanoTime() & 0xffff)) + "::1\r\n\r\n");
        assertThat(other).as("another /64 is another client").startsWith("HTTP/1.1 200");
    }
}
