package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, its heap capped at 256 MB ({@code quarkus.test.arg-line}), passes a 200 MB
 * upload and a 200 MB download: bodies are streamed, never buffered whole.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(GatehouseTestResource.class)
class StreamingIT {
    static final long SIZE = 200L * 1024 * 1024;

    /** {@code size} zero bytes, produced on demand. */
    static InputStream zeros(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void twoHundredMegabyteUploadIsStreamed() {
        String token = GatehouseTestResource.idp().validToken();
        HttpResponse<String> chunked = Http.send(Http.to("api.test", "/count")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(SIZE))).build());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(Long.toString(SIZE));

        HttpResponse<String> sized = Http.send(Http.to("api.test", "/count")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> zeros(SIZE)), SIZE)).build());
        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body()).isEqualTo(Long.toString(SIZE));
    }

    @Test
    void twoHundredMegabyteDownloadIsStreamed() throws IOException, InterruptedException {
        String token = GatehouseTestResource.idp().validToken();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(Http.to("api.test", "/bytes/" + SIZE)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(SIZE);
    }
}
