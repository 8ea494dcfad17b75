package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1 requests Netty cannot decode, or decodes leniently where a stricter parser behind Gatehouse
 * would not: Gatehouse's own 400 ({@code invalid-request}, problem+json, {@code X-Request-Id},
 * {@code Connection: close}) and the connection closed, never a bare or 5xx answer, nothing
 * upstream. A body that breaks off undecodable is answered the same while the response has not
 * started; after that the connection is cut. Either way the upstream never gets the request whole.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class UndecodableRequestsTest {
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    /** Gatehouse's own 400, then the connection closed. */
    static void assertGatehouse400(String answer) {
        assertThat(answer).as(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).as("connection closed after the 400").doesNotContain("<<timeout");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).contains("\r\nconnection: close").contains("\r\nx-request-id: ")
                .contains("\r\ncontent-type: application/problem+json");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(new JsonObject(body).getString("reason")).isEqualTo("invalid-request");
        assertThat(answer.split("HTTP/1\\.[01] ", -1)).as("one answer only").hasSize(2);
    }

    @ParameterizedTest(name = "request line {0}")
    @ValueSource(strings = {
        "GET  /  HTTP/1.1",          // Netty splits on any run of whitespace: it was forwarded
        "GET /\tHTTP/1.1",           // a tab as separator: forwarded too
        "GET\t/ HTTP/1.1",
        "GET / HTTP/9.9",            // Vert.x answered 501 with the client's version, HTTP/9.9
        "GET / HTTP/1.2",
        "GET / http/1.1",
        "GET / HTTP/1.1 ",
        "G\u0001T / HTTP/1.1",       // Vert.x's bare HTTP/1.0 400
        "GET /\u0001 HTTP/1.1",
        "GET /?a\u007fb HTTP/1.1",
        "GET /a b HTTP/1.1",
        " GET / HTTP/1.1",           // Netty skips what precedes a request line; only empty lines may
        "\u0001GET / HTTP/1.1",
        "GET /"})
    void malformedRequestLinesGetGatehouses400(String line) {
        String answer = Http.raw(line + "\r\nHost: public.test\r\nConnection: close\r\n\r\n");
        assertGatehouse400(answer);
        assertThat(upstream.hits()).isZero();
    }

    @ParameterizedTest(name = "header line {0}")
    @ValueSource(strings = {"X-V: a\u0001b", "X-V: a\u0000b", "X-V: a\u007fb", "X-V: a\u000bb", "Content-Length: abc",
        "Bad Name: x"})
    void headsNettyRefusesGetGatehouses400(String line) {
        // Vert.x answered these bare: 400 without Connection: close, X-Request-Id or body
        String answer = Http.raw("GET / HTTP/1.1\r\nHost: public.test\r\n" + line + "\r\nConnection: close\r\n\r\n");
        assertGatehouse400(answer);
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void aPipelinedMalformedHeadIsAnsweredAfterTheCleanOne() {
        String answer = Http.raw("GET / HTTP/1.1\r\nHost: public.test\r\n\r\nGET  /  HTTP/1.1\r\nHost: public.test\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        int second = answer.indexOf("HTTP/1.1 400");
        assertThat(second).as(answer).isPositive();
        assertGatehouse400(answer.substring(second));
        assertThat(upstream.hits()).isEqualTo(1);
    }

    @Test
    void aBadChunkSizeRightAfterTheHeadIs400() throws Exception {
        String answer = Http.raw("POST /count HTTP/1.1\r\nHost: preserve.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertGatehouse400(answer);
        assertNeverComplete();
    }

    @Test
    void aBadChunkSizeWhileTheBodyStreamsUpstreamIs400AndTheUpstreamRequestIsReset() throws Exception {
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST /count HTTP/1.1\r\nHost: preserve.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"));
            out.flush();
            Thread.sleep(500); // allowed, forwarded: the upstream is reading the body
            out.write(ascii("zz\r\n"));
            out.flush();
            assertGatehouse400(readToEnd(s.getInputStream()));
        }
        assertThat(waitForBrokenOff()).as("the upstream request was broken off").isPositive();
        assertThat(upstream.hits()).as("never received as complete").isZero();
    }

    @Test
    void aBadChunkSizeAfterTheResponseStartedCutsTheConnection() throws Exception {
        String answer;
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST /answer-early HTTP/1.1\r\nHost: preserve.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n"));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("early;")) {
                int b = in.read();
                assertThat(b).as("the upstream's early answer arrives").isNotNegative();
                got.write(b);
            }
            out.write(ascii("zz\r\n"));
            out.flush();
            answer = got.toString(StandardCharsets.ISO_8859_1) + readToEnd(in);
        }
        // no 400 can follow a response already under way: the connection closes, the chunked
        // response without its last chunk, so the client knows it is incomplete
        assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain(" 400 ").doesNotContain("<<timeout")
                .doesNotEndWith("0\r\n\r\n");
        assertThat(waitForBrokenOff()).as("the upstream request was broken off").isPositive();
        assertThat(upstream.hits()).as("never received as complete").isZero();
    }

    private void assertNeverComplete() throws InterruptedException {
        Thread.sleep(500);
        assertThat(upstream.hits()).as("never received as complete").isZero();
    }

    private long waitForBrokenOff() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (upstream.brokenOff() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return upstream.brokenOff();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            got.write(ascii("\n<<timeout: connection still open>>"));
        } catch (IOException e) {
            // reset by the server
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
