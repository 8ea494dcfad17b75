package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests two parsers could read differently: 400, the connection closed, nothing upstream, and
 * never a second request smuggled behind the first.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class AmbiguousHttpTest {
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    private void assertRejectedAndClosed(String raw) {
        String answer = Http.raw(raw);
        assertThat(answer).as(raw).matches("(?s)HTTP/1\\.[01] 400.*");
        assertThat(answer).as("connection closed after the 400").doesNotContain("<<timeout");
        assertThat(answer.split("HTTP/1\\.[01] ", -1)).as("every answer is a 400, no smuggled request answered")
                .allMatch(part -> part.isEmpty() || part.startsWith("400"));
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void twoHostHeaders() {
        assertRejectedAndClosed("GET / HTTP/1.1\r\nHost: public.test\r\nHost: api.test\r\n\r\n");
    }

    @Test
    void missingHost() {
        assertRejectedAndClosed("GET / HTTP/1.1\r\n\r\n");
    }

    @Test
    void contentLengthAndTransferEncoding() {
        assertRejectedAndClosed("POST /count HTTP/1.1\r\nHost: public.test\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: public.test\r\n\r\n");
    }

    @Test
    void twoContentLengths() {
        assertRejectedAndClosed("POST /count HTTP/1.1\r\nHost: public.test\r\nContent-Length: 1\r\nContent-Length: 30\r\n\r\nx");
    }

    @Test
    void obfuscatedTransferEncoding() {
        assertRejectedAndClosed("POST /count HTTP/1.1\r\nHost: public.test\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n");
        assertRejectedAndClosed("POST /count HTTP/1.1\r\nHost: public.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n");
    }

    @Test
    void obsoleteLineFoldingNeverReachesTheUpstreamFolded() {
        // Netty unfolds obs-fold into one value before Gatehouse sees it; Gatehouse re-serialises
        // headers, so the upstream gets one plain header, never the ambiguous folded form.
        String answer = Http.raw("GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n  b\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(upstream.last().headers().getAll("X-Folded")).containsExactly("a b");
    }

    @Test
    void malformedRequestLine() {
        assertRejectedAndClosed("GET /a b HTTP/1.1\r\nHost: public.test\r\n\r\n");
        assertRejectedAndClosed("GARBAGE\r\nHost: public.test\r\n\r\n");
    }

    @Test
    void absoluteFormMustMatchHost() {
        assertRejectedAndClosed("GET http://api.test/ HTTP/1.1\r\nHost: public.test\r\n\r\n");
        String ok = Http.raw("GET http://public.test/x HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n");
        assertThat(ok).startsWith("HTTP/1.1 200");
        assertThat(upstream.last().uri()).isEqualTo("/base/x");
    }
}
