package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.RawH2;
import dev.gatehouse.testing.RecordingUpstream;
import io.netty.handler.codec.http2.Http2Headers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Control characters over HTTP/2, where no HTTP/1 line parser stands in the way: HPACK carries any
 * byte in a header value or {@code :path}. Over h2c (prior knowledge) and TLS (ALPN h2) alike, a
 * control character in a header value is Gatehouse's 400 {@code invalid-request} (it was a 500: the
 * forwarder's HTTP/1 client refused to write the value), a raw one or a space in the query is a 400,
 * and none reaches the upstream; HTAB, bytes above 0x7f and percent-encoded control characters are
 * data and pass.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class Http2ControlCharactersTest {
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    static RawH2.Answer get(boolean tls, String path, String headerValue) throws Exception {
        try (RawH2 h2 = RawH2.toGatehouse(tls)) {
            Http2Headers headers = RawH2.headers("GET", "public.test", path);
            if (headerValue != null) {
                headers.add("x-value", headerValue);
            }
            return h2.exchange(headers, null);
        }
    }

    static Stream<Arguments> controlCharactersInValues() {
        return Stream.of(true, false).flatMap(tls -> Stream.of("a\u0000b", "a\u0001b", "a\u001fb", "a\u007fb", "a\rb",
                "a\nb", "a\r\nX-Injected: 1", "\u0000").map(v -> Arguments.of(tls ? "tls" : "h2c", v)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("controlCharactersInValues")
    void aControlCharacterInAHeaderValueIs400(String transport, String value) throws Exception {
        RawH2.Answer a = get(transport.equals("tls"), "/x", value);
        assertThat(a.settled()).as("answered, not hanging").isTrue();
        assertThat(a.status()).as(a.toString()).isEqualTo(400);
        assertThat(a.header("content-type")).isEqualTo("application/problem+json");
        assertThat(a.header("x-request-id")).isNotBlank();
        assertThat(new JsonObject(a.body()).getString("reason")).isEqualTo("invalid-request");
        Thread.sleep(200);
        assertThat(upstream.hits()).isZero();
    }

    static Stream<Arguments> rawControlCharactersInQueries() {
        return Stream.of(true, false).flatMap(tls -> Stream.of("/x?a\u0001b", "/x?a\u0000b", "/x?a=\r\nb", "/x?a b",
                "/x?a\u007fb", "/x?a=1\tb").map(p -> Arguments.of(tls ? "tls" : "h2c", p)));
    }

    /**
     * Quarkus answers these itself, before Gatehouse sees them (it parses every URI as a
     * {@code java.net.URI}, which refuses them): a bare 400, but a 400, never forwarded. Gatehouse's
     * own check stands behind it.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rawControlCharactersInQueries")
    void aRawControlCharacterOrSpaceInTheQueryIs400(String transport, String path) throws Exception {
        RawH2.Answer a = get(transport.equals("tls"), path, null);
        assertThat(a.settled()).as("answered, not hanging").isTrue();
        assertThat(a.status()).as(a.toString()).isEqualTo(400);
        Thread.sleep(200);
        assertThat(upstream.hits()).isZero();
    }

    static Stream<Arguments> transports() {
        return Stream.of(Arguments.of("h2c"), Arguments.of("tls"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void tabsHighBytesAndPercentEncodedControlCharactersPass(String transport) throws Exception {
        boolean tls = transport.equals("tls");
        RawH2.Answer a = get(tls, "/x?a=%0d%0a&b=%00&c=%7f", "a\tb \u00e9");
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        RecordingUpstream.Received got = upstream.last();
        // the query is the app's to decode: forwarded exactly as sent
        assertThat(got.uri()).isEqualTo("/base/x?a=%0d%0a&b=%00&c=%7f");
        assertThat(got.header("x-value")).isEqualTo("a\tb \u00e9");
    }
}
