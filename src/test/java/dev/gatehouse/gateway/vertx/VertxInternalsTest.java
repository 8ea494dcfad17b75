package dev.gatehouse.gateway.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http2HeadersAdaptor;
import org.junit.jupiter.api.Test;

/** {@link VertxInternals#nettyHeaders}: the Netty headers under the header maps Gatehouse copies from. */
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
    void anyOtherMapGivesNull() {
        MultiMap plain = new Http2HeadersAdaptor(new DefaultHttp2Headers(false)); // an HTTP/2 request's
        assertThat(VertxInternals.nettyHeaders(plain)).isNull();
    }
}
