package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A keep-alive connection remembers the cache key of its last bearer token
 * ({@link ConnectionTokenKeys}); every request on it is still judged by its own token: a forged
 * token that differs from the good one only in its last characters, no token at all, then the good
 * one again, all on one connection.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ConnectionTokenKeysTest {
    private TestIdp idp;
    private RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    @Test
    void eachRequestOnAKeepAliveConnectionIsJudgedByItsOwnToken() throws Exception {
        String good = idp.validToken();
        String forged = good.substring(0, good.length() - 12) + "AAAAAAAAAAAA";
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            s.setSoTimeout(10_000);
            assertThat(exchange(s, good)).startsWith("HTTP/1.1 200");
            assertThat(exchange(s, forged)).startsWith("HTTP/1.1 401");
            assertThat(exchange(s, null)).startsWith("HTTP/1.1 401");
            assertThat(exchange(s, good)).startsWith("HTTP/1.1 200");
            assertThat(exchange(s, forged)).startsWith("HTTP/1.1 401");
        }
        assertThat(upstream.hits()).as("only the requests with the good token reached the upstream").isEqualTo(2);
    }

    /** One request on the open connection; its answer's head and body. */
    private static String exchange(Socket s, String token) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET /docs/page HTTP/1.1\r\nHost: api.test\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
