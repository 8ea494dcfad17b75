package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Trailer fields through the proxy. An upstream's trailers (a checksum, {@code Server-Timing}, a
 * gRPC-style status) reach a client whose response can carry them (HTTP/1.1 chunked, HTTP/2), with
 * the fields RFC 9110 section 6.5.1 keeps out of trailers and every identity header removed, and the
 * response's {@code Trailer} header naming only what may follow. A client's request trailers never
 * reach the upstream (Vert.x 4 reads and sends none): in particular not as identity headers.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class TrailersTest {

    @Test
    void anHttp11ClientGetsTheUpstreamsTrailersWithoutTheForbiddenOnes() {
        String answer = Http.raw("GET /trailers HTTP/1.1\r\nHost: slow.test\r\nTE: trailers\r\nConnection: close\r\n\r\n");
        Chunked r = Chunked.parse(answer);
        assertThat(r.head()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.trailers()).containsEntry("x-checksum", "sha-256=:ok:").containsEntry("server-timing", "db;dur=53")
                .containsEntry("grpc-status", "0");
        for (String forbidden : RecordingUpstream.FORBIDDEN_TRAILERS) {
            assertThat(r.trailers()).doesNotContainKey(forbidden.toLowerCase(Locale.ROOT));
        }
        assertThat(r.header("trailer")).as("announces only what may follow").isEqualTo("X-Checksum, Server-Timing, Grpc-Status");
        assertThat(r.header("x-request-id")).isNotEqualTo("from-upstream");
    }

    @Test
    void withoutTeTrailersAnHttp11ClientStillGetsThemAsEveryHttp11ClientMustParseThem() {
        // RFC 9112 section 7.1: a chunked body's trailer section is part of HTTP/1.1 framing
        Chunked r = Chunked.parse(Http.raw("GET /trailers HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n"));
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.trailers()).containsEntry("x-checksum", "sha-256=:ok:");
    }

    @Test
    void anHttp10ClientGetsTheBodyWithoutTrailersOrTheirAnnouncement() {
        String answer = Http.raw("GET /trailers HTTP/1.0\r\nHost: slow.test\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").endsWith("\r\n\r\nok");
        assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("trailer:").doesNotContain("x-checksum");
    }

    @Test
    void anAnswerWithoutTrailersEndsAsBefore() {
        String answer = Http.raw("GET /answer-early HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n");
        assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("\r\ntrailer:");
        assertThat(answer).endsWith("\r\n0\r\n\r\n");
    }

    @Test
    void anHttp2ClientGetsTheUpstreamsTrailers() throws Exception {
        H2Answer a = h2Get("/trailers");
        assertThat(a.body()).isEqualTo("ok");
        assertThat(a.trailers().get("x-checksum")).isEqualTo("sha-256=:ok:");
        assertThat(a.trailers().get("server-timing")).isEqualTo("db;dur=53");
        assertThat(a.trailers().get("grpc-status")).isEqualTo("0");
        for (String forbidden : RecordingUpstream.FORBIDDEN_TRAILERS) {
            assertThat(a.trailers().contains(forbidden)).as(forbidden).isFalse();
        }
        assertThat(a.headers().get("trailer")).isEqualTo("X-Checksum, Server-Timing, Grpc-Status");
    }

    @Test
    void aSizedAnswerAnnouncesNoTrailersItCannotHave() throws Exception {
        String answer = Http.raw("GET /sized-with-trailer-header HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("\r\ncontent-length: 2\r\n").doesNotContain("\r\ntrailer:");
        assertThat(answer).endsWith("\r\n\r\nok");
        H2Answer a = h2Get("/sized-with-trailer-header");
        assertThat(a.body()).isEqualTo("ok");
        assertThat(a.headers().get("trailer")).isNull();
    }

    record H2Answer(MultiMap headers, String body, MultiMap trailers) {
    }

    /** GET {@code path} on slow.test over HTTP/2 (h2c, prior knowledge): head, whole body, trailers. */
    private static H2Answer h2Get(String path) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(Http.port())
                    .setURI(path);
            o.setServer(null);
            return client.request(o).compose(req -> {
                req.authority(HostAndPort.create("slow.test", Http.port()));
                return req.send();
            }).compose(resp -> resp.body().map(b -> new H2Answer(resp.headers(), b.toString(), resp.trailers())))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            vertx.close();
        }
    }

    @Test
    void aClientsRequestTrailersNeverReachTheUpstreamAndTheBodyArrivesWhole() {
        GatehouseTestResource.upstream().reset();
        String answer = Http.raw("POST /count HTTP/1.1\r\nHost: slow.test\r\nTransfer-Encoding: chunked\r\n"
                + "TE: trailers\r\nTrailer: X-Gatehouse-User\r\nConnection: close\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-Gatehouse-User: admin\r\nX-Forwarded-User: admin\r\nX-Checksum: 5\r\n\r\n");
        assertThat(Chunked.parse(answer).body()).isEqualTo("5");
        RecordingUpstream.Received got = GatehouseTestResource.upstream().last();
        assertThat(got.bodyBytes()).isEqualTo(5);
        assertThat(got.header("x-gatehouse-user")).isNull();
        assertThat(got.header("x-forwarded-user")).isNull();
        assertThat(got.header("x-checksum")).isNull();
        assertThat(got.header("trailer")).isNull();
    }

    /** An HTTP/1.1 answer read from the wire: head, the body decoded if chunked, and its trailer fields. */
    record Chunked(String head, String body, Map<String, String> trailers) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        static Chunked parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            assertThat(end).as("a complete head in: " + raw).isPositive();
            String head = raw.substring(0, end + 2);
            String rest = raw.substring(end + 4);
            Map<String, String> trailers = new LinkedHashMap<>();
            if (!head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked\r\n")) {
                return new Chunked(head, rest, trailers);
            }
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = rest.indexOf("\r\n", at);
                assertThat(lineEnd).as("a chunk size line in: " + rest).isGreaterThanOrEqualTo(0);
                int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    break;
                }
                body.append(rest, at, at + size);
                at += size + 2;
            }
            // the trailer section: fields until an empty line
            while (true) {
                int lineEnd = rest.indexOf("\r\n", at);
                assertThat(lineEnd).as("the last chunk's end in: " + rest).isGreaterThanOrEqualTo(0);
                String line = rest.substring(at, lineEnd);
                at = lineEnd + 2;
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return new Chunked(head, body.toString(), trailers);
        }
    }
}
