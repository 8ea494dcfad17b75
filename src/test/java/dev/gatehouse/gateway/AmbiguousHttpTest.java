package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.microprofile.config.ConfigProvider;
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
    void obsoleteLineFolding() {
        assertRejectedAndClosed("GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n  b\r\n\r\n");
        assertRejectedAndClosed("GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n\tb\r\n\r\n");
        // a folded Host would route by what the upstream's parser reads
        assertRejectedAndClosed("GET / HTTP/1.1\r\nHost: public.test\r\n api.test\r\n\r\n");
        // whitespace between the request line and the first header field (RFC 9112 section 2.2)
        assertRejectedAndClosed("GET / HTTP/1.1\r\n Host: public.test\r\n\r\n");
    }

    @Test
    void bareLineFeedsAreRejected() {
        // Netty's strict line parsing: a line ending in LF alone is a bad request
        assertRejectedAndClosed("GET / HTTP/1.1\nHost: public.test\n\n");
    }

    @Test
    void obsoleteLineFoldingSplitAcrossReadsIsStillSeen() throws Exception {
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200); // the decoder consumes the complete lines before the fold arrives
            out.write(" b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).matches("(?s)HTTP/1\\.[01] 400.*");
        }
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void obsoleteLineFoldingInTheNextRequestOfAConnectionIsRejected() {
        // the second head follows a body on the same connection: it is scanned from its first byte
        String answer = Http.raw("POST /count HTTP/1.1\r\nHost: preserve.test\r\nContent-Length: 5\r\n\r\nhello"
                + "GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n b\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer).matches("(?s).*\\r\\n\\r\\n5HTTP/1\\.[01] 400.*").doesNotContain("<<timeout");
        assertThat(upstream.hits()).as("only the first request").isEqualTo(1);
    }

    @Test
    void foldingLookalikesInBodiesAndBeforeTheRequestLineAreFine() {
        // a body is never scanned as a head: a line break followed by a space in it is data
        String body = "line one\r\n line two\n\tthree";
        String answer = Http.raw("POST /count HTTP/1.1\r\nHost: preserve.test\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith(Integer.toString(body.length()));
        // empty lines before a request line are ignored, as RFC 9112 section 2.2 allows
        assertThat(Http.raw("\r\n\r\nGET / HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(upstream.hits()).isEqualTo(2);
    }

    @Test
    void obsoleteLineFoldingOverTlsIsRejectedToo() throws Exception {
        int tlsPort = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: public.test\r\nX-Folded: a\r\n b\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).matches("(?s)HTTP/1\\.[01] 400.*");
        }
        assertThat(upstream.hits()).isZero();
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
