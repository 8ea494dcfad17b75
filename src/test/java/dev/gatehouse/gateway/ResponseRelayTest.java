package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * What the client gets of an upstream's answer, as the forwarder relays it
 * ({@code gateway.forward.ResponseRelay}): status line, headers and body as the upstream sent them,
 * whether the body came in the read that brought the head (then written with the end, in one
 * message) or in many chunks.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ResponseRelayTest {

    @Test
    void aSmallSizedAnswerArrivesWholeWithItsLengthAndStatusLine() {
        String answer = Http.raw("GET /small HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(answer.toLowerCase()).contains("\r\ncontent-length: 2\r\n").contains("\r\nx-upstream: recording\r\n")
                .contains("\r\nx-request-id: ");
        assertThat(answer).endsWith("\r\n\r\nok");
    }

    @Test
    void anUpstreamsOwnReasonPhraseIsRelayed() {
        String answer = Http.raw("GET /reason HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 Fine Thanks\r\n").endsWith("\r\n\r\nok");
    }

    @Test
    void aSizedBodyOfManyChunksArrivesWhole() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> r = client.send(Http.to("slow.test", "/bytes/3000017").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).hasValue("3000017");
        assertThat(r.body()).hasSize(3000017);
        // and the connection is still good for the next answer, a small one
        HttpResponse<String> next = client.send(Http.to("slow.test", "/small").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(next.body()).isEqualTo("ok");
    }
}
