package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 from clients over cleartext (h2c, prior knowledge): every body shape arrives whole. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class Http2Test {
    Vertx vertx;
    HttpClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        GatehouseTestResource.upstream().reset();
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    /** A response and its whole body (read in the same chain: data is not buffered for late readers). */
    record Answer(HttpClientResponse response, String body) {
    }

    private Answer send(HttpMethod method, String path, Buffer body, boolean withLength) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(Http.port())
                .setURI(path).putHeader("Authorization", "Bearer " + GatehouseTestResource.idp().validToken());
        o.setServer(null);
        return client.request(o).compose(req -> {
            req.authority(io.vertx.core.net.HostAndPort.create("api.test", Http.port()));
            if (body == null) {
                return req.send();
            }
            if (withLength) {
                req.putHeader("Content-Length", Integer.toString(body.length()));
                return req.send(body);
            }
            req.setChunked(true);
            req.write(body.slice(0, body.length() / 2));
            return req.send(body.slice(body.length() / 2, body.length()));
        }).compose(resp -> resp.body().map(b -> new Answer(resp, b.toString())))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void getOverH2c() throws Exception {
        Answer a = send(HttpMethod.GET, "/hello", null, false);
        HttpClientResponse r = a.response();
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("ok");
        assertThat(r.getHeader("x-request-id")).isNotBlank();
        assertThat(r.getHeader("connection")).isNull();
    }

    /**
     * HTTP/2 streams ending normally must leave the upstream's keep-alive connection in the pool: a
     * reset of the finished upstream request on the stream's close once closed the connection after
     * every request, so each HTTP/2 request paid a new TCP connection (and throughput collapsed).
     */
    @Test
    void finishedStreamsKeepTheUpstreamConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(send(HttpMethod.GET, "/hello", null, false).response().statusCode()).isEqualTo(200);
        }
        assertThat(GatehouseTestResource.upstream().hits()).isEqualTo(20);
        assertThat(GatehouseTestResource.upstream().connections()).isLessThanOrEqualTo(2);
    }

    @Test
    void postBodiesWithAndWithoutContentLengthArriveWhole() throws Exception {
        Buffer payload = Buffer.buffer(new byte[300_000]);
        assertThat(send(HttpMethod.POST, "/count", payload, true).body()).isEqualTo("300000");
        assertThat(send(HttpMethod.POST, "/count", payload, false).body()).isEqualTo("300000");
        assertThat(send(HttpMethod.PUT, "/count", Buffer.buffer("x"), false).body()).isEqualTo("1");
    }
}
