package dev.gatehouse.gateway.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http2HeadersAdaptor;
import org.junit.jupiter.api.Test;

/**
 * {@link VertxInternals#nettyHeaders}: the Netty headers under the header maps Gatehouse copies from;
 * {@link VertxInternals#poolOutboundBuffers}: an upstream connection on the pooled allocator.
 */
class VertxInternalsTest {

    @Test
    void anUpstreamResponsesHeaderMapGivesTheDecodersHeaders() {
        // an HTTP/1 upstream response's headers() is a HeadersAdaptor over the decoder's DefaultHttpHeaders
        HttpHeaders decoded = new DefaultHttpHeaders().add("Content-Type", "text/plain");
        assertThat(VertxInternals.nettyHeaders(new HeadersAdaptor(decoded))).isSameAs(decoded);
    }

    @Test
    void aServerRequestsHeaderMapIsItselfNettyHeaders() {
        MultiMap map = MultiMap.caseInsensitiveMultiMap(); // HeadersMultiMap, as a server request's
        assertThat(VertxInternals.nettyHeaders(map)).isSameAs(map);
    }

    @Test
    void aPlainUpstreamConnectionEncodesIntoPooledMemoryAndStillRelaysWhole() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            String body = "x".repeat(3000);
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(r -> r.response().putHeader("X-Echo", r.getHeader("X-Big")).end(body))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
            List<Boolean> pooled = new CopyOnWriteArrayList<>();
            List<ByteBufAllocator> allocators = new CopyOnWriteArrayList<>();
            client.connectionHandler(c -> {
                pooled.add(VertxInternals.poolOutboundBuffers(c));
                allocators.add(VertxInternals.channelOf(c).alloc());
            });
            String big = "y".repeat(2000); // a head bigger than the encoder's first guess
            Context context = vertx.getOrCreateContext();
            for (int i = 0; i < 50; i++) {
                String[] echo = new String[1];
                // the exchange is set up on the event loop, as Gatehouse's forwarder does: composed from the
                // test thread, resp.body() can come after the response has ended and see an empty body
                // (measured: 3-4 in 3,000 exchanges, pooled or not)
                CompletableFuture<Buffer> exchange = new CompletableFuture<>();
                context.runOnContext(v -> client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                        .compose(req -> req.putHeader("X-Big", big).send())
                        .compose(resp -> {
                            echo[0] = resp.getHeader("X-Echo");
                            return resp.body();
                        })
                        .onComplete(done -> {
                            if (done.succeeded()) {
                                exchange.complete(done.result());
                            } else {
                                exchange.completeExceptionally(done.cause());
                            }
                        }));
                Buffer got = exchange.get(10, TimeUnit.SECONDS);
                assertThat(echo[0]).isEqualTo(big);
                assertThat(got.toString()).isEqualTo(body);
                // what Gatehouse is handed is copied out of the pool (Vert.x's safeBuffer), so it may keep it
                assertThat(got.getByteBuf().alloc()).isNotInstanceOf(PooledByteBufAllocator.class);
            }
            assertThat(pooled).isNotEmpty().containsOnly(true); // each new connection, set up once
            assertThat(allocators).hasSameSizeAs(pooled).containsOnly(PooledByteBufAllocator.DEFAULT);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anyOtherMapGivesNull() {
        MultiMap plain = new Http2HeadersAdaptor(new DefaultHttp2Headers(false)); // an HTTP/2 request's
        assertThat(VertxInternals.nettyHeaders(plain)).isNull();
    }
}
