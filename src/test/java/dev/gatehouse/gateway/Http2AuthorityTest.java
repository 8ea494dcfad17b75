package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.LogCapture;
import dev.gatehouse.testing.RawH2;
import dev.gatehouse.testing.RecordingUpstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where an HTTP/2 request says which host it is for: {@code :authority}, a {@code host} field, both,
 * or neither. An ambiguous or malformed combination is Gatehouse's 400 {@code invalid-request} with
 * a request id (it was a bare {@code RST_STREAM} from Vert.x, or for two equal {@code host} fields
 * a request served); never forwarded. One {@code host} and no {@code :authority} is allowed, as RFC
 * 9113 allows it. An empty {@code :authority} is reset by Netty before anything else sees it.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class Http2AuthorityTest {
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    /** A GET of /x with the given authority (null: none), then {@code shape} adds or removes fields. */
    static RawH2.Answer get(boolean tls, String authority, Consumer<Http2Headers> shape) throws Exception {
        Http2Headers h = new DefaultHttp2Headers(false).method("GET").scheme(tls ? "https" : "http").path("/x");
        if (authority != null) {
            h.authority(authority);
        }
        shape.accept(h);
        try (RawH2 h2 = RawH2.toGatehouse(tls)) {
            return h2.exchange(h, null);
        }
    }

    static Stream<Arguments> refused() {
        record Case(String name, String authority, Consumer<Http2Headers> shape) {
        }
        Stream<Case> cases = Stream.of(
                new Case("host differs from :authority", "public.test", h -> h.add("host", "api.test")),
                new Case("host differs only by its port", "public.test", h -> h.add("host", "public.test:8443")),
                new Case("two hosts, same value", "public.test",
                        h -> h.add("host", "public.test").add("host", "public.test")),
                new Case("two hosts, no :authority", null, h -> h.add("host", "public.test").add("host", "api.test")),
                new Case("no :authority and no host", null, h -> { }),
                new Case("malformed :authority", "public.test:x", h -> { }),
                new Case("malformed host, no :authority", null, h -> h.add("host", "public test")),
                new Case("no :path", "public.test", h -> h.remove(":path")),
                new Case("no :method", "public.test", h -> h.remove(":method")));
        return cases.flatMap(c -> Stream.of("h2c", "tls").map(t -> Arguments.of(t, c.name(), c.authority(), c.shape())));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void ambiguousOrMalformedAuthorityIs400(String transport, String name, String authority,
                                            Consumer<Http2Headers> shape) throws Exception {
        RawH2.Answer a = get(transport.equals("tls"), authority, shape);
        assertThat(a.settled()).as("answered, not hanging").isTrue();
        assertThat(a.reset()).as("answered, not reset: " + a).isFalse();
        assertThat(a.status()).as(a.toString()).isEqualTo(400);
        assertThat(a.header("content-type")).isEqualTo("application/problem+json");
        assertThat(a.header("x-request-id")).isNotBlank();
        assertThat(new JsonObject(a.body()).getString("reason")).isEqualTo("invalid-request");
        Thread.sleep(200);
        assertThat(upstream.hits()).as("never forwarded").isZero();
    }

    static Stream<Arguments> allowed() {
        return Stream.of("h2c", "tls").flatMap(t -> Stream.of(
                Arguments.of(t, "only :authority", "public.test", (Consumer<Http2Headers>) h -> { }),
                Arguments.of(t, "a host equal to :authority", "public.test",
                        (Consumer<Http2Headers>) h -> h.add("host", "public.test")),
                Arguments.of(t, "only a host", null, (Consumer<Http2Headers>) h -> h.add("host", "public.test"))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("allowed")
    void oneUnambiguousAuthorityIsServed(String transport, String name, String authority,
                                         Consumer<Http2Headers> shape) throws Exception {
        RawH2.Answer a = get(transport.equals("tls"), authority, shape);
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        assertThat(upstream.hits()).isEqualTo(1);
    }

    /**
     * A connection upgraded from HTTP/1.1 ({@code Upgrade: h2c}) gets its HTTP/2 handler after the
     * first request: its later streams are held to the same rules.
     */
    @Test
    void streamsAfterAnH2cUpgradeAreCheckedToo() throws Exception {
        try (RawH2 h2 = RawH2.upgraded("public.test")) {
            Http2Headers h = new DefaultHttp2Headers(false).method("GET").scheme("http").path("/x")
                    .authority("public.test").add("host", "api.test");
            RawH2.Answer a = h2.exchangeOnStream3(h);
            assertThat(a.status()).as(a.toString()).isEqualTo(400);
            assertThat(a.header("x-request-id")).isNotBlank();
        }
        Thread.sleep(200);
        assertThat(upstream.hits()).as("only the upgrade's own request").isEqualTo(1);
    }

    /**
     * An empty {@code :authority} never gets as far as Vert.x: Netty's HPACK decoder refuses an empty
     * pseudo-header as it decodes the head and resets the stream ({@code PROTOCOL_ERROR}), before
     * Gatehouse could answer. Deliberately so: the reset is the documented behaviour (README), and a
     * {@code host} beside it is never used to route.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void anEmptyAuthorityIsResetByNettyAndNeverRouted(String transport) throws Exception {
        for (Consumer<Http2Headers> shape : java.util.List.<Consumer<Http2Headers>>of(h -> { },
                h -> h.add("host", "public.test"))) {
            RawH2.Answer a = get(transport.equals("tls"), "", shape);
            assertThat(a.settled()).as("not hanging").isTrue();
            assertThat(a.status()).as(a.toString()).isEqualTo(-1);
            assertThat(a.reset()).as(a.toString()).isTrue();
        }
        Thread.sleep(200);
        assertThat(upstream.hits()).isZero();
    }

    static Stream<Arguments> transports() {
        return Stream.of(Arguments.of("h2c"), Arguments.of("tls"));
    }

    /**
     * A client that hangs up right after a burst of refused requests: Vert.x 4.5.27 reset them and,
     * when a reset could not be written any more, logged a {@code NullPointerException} ("stream is
     * null", {@code Http2ConnectionBase.onConnectionError}) at WARN for each.
     */
    @Test
    void aClientHangingUpAfterRefusedRequestsLeavesNoException() throws Exception {
        LogCapture log = LogCapture.everything();
        try {
            for (int i = 0; i < 5; i++) {
                try (RawH2 h2 = RawH2.toGatehouse(i % 2 == 0)) {
                    Http2Headers h = new DefaultHttp2Headers(false).method("GET").scheme("https").path("/x")
                            .authority("public.test").add("host", "api.test");
                    h2.sendWithoutReading(h, 50);
                }
            }
            Thread.sleep(500);
            assertThat(log.lines()).noneMatch(l -> l.contains("NullPointerException"));
        } finally {
            log.detach();
        }
        assertThat(upstream.hits()).isZero();
    }
}
