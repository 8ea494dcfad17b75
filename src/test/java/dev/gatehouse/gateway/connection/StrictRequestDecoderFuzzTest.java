package dev.gatehouse.gateway.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.fuzz.Fuzz;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The strict decoder against a plain model of RFC 9112: a head is rejected exactly when one of its
 * header lines starts with a space or tab, however the bytes are split into reads; a clean head
 * (and one pipelined behind it) decodes as Vert.x's own decoder would; nothing throws.
 */
class StrictRequestDecoderFuzzTest {
    /** Lines end in CRLF: Netty's strict line parsing answers a bare LF 400 before folding matters. */
    private static final String CRLF = "\r\n";

    /** A generated request head (maybe followed by a second, clean one) and how it arrives. */
    record Arrival(String bytes, boolean folded, List<Integer> cuts) {
        @Override
        public String toString() {
            return bytes + " cut at " + cuts;
        }
    }

    static Arrival arrival(Random r) {
        StringBuilder head = new StringBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
            head.append(CRLF); // empty lines before a request line are allowed
        }
        head.append("GET /x HTTP/1.1").append(CRLF);
        boolean folded = false;
        int lines = r.nextInt(8);
        for (int i = 0; i < lines; i++) {
            if (r.nextInt(6) == 0) {
                head.append(r.nextBoolean() ? ' ' : '\t').append(value(r)); // obs-fold (or whitespace first)
                folded = true;
            } else {
                head.append("X-H").append(i).append(':').append(r.nextBoolean() ? " " : "").append(value(r));
            }
            head.append(CRLF);
        }
        head.append("Host: h").append(CRLF).append(CRLF);
        if (r.nextBoolean()) {
            head.append("GET /next HTTP/1.1\r\nHost: h\r\n\r\n"); // pipelined, clean
        }
        String bytes = head.toString();
        List<Integer> cuts = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            cuts.add(r.nextInt(bytes.length() + 1));
        }
        cuts.sort(null);
        return new Arrival(bytes, folded, cuts);
    }


    private static String value(Random r) {
        StringBuilder v = new StringBuilder("v");
        for (int i = r.nextInt(6); i > 0; i--) {
            v.append(Fuzz.oneOf(r, List.of("a", "b", " ", "\t", ":", "z9", "-")));
        }
        return v.append('e').toString();
    }

    /** Feeds the bytes in reads cut where the arrival says; returns what the decoder emitted. */
    private static List<HttpObject> decode(String bytes, List<Integer> cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(new HttpServerOptions()));
        byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
        int from = 0;
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(all.length);
        for (int to : ends) {
            channel.writeInbound(Unpooled.wrappedBuffer(all, from, to - from));
            from = to;
        }
        List<HttpObject> out = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            out.add((HttpObject) m);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    private static boolean rejectedForFolding(List<HttpObject> out) {
        return out.stream().anyMatch(m -> m.decoderResult().isFailure()
                && "obsolete line folding".equals(m.decoderResult().cause().getMessage()));
    }

    @Test
    void rejectsExactlyTheHeadsWithFoldedLinesHoweverTheyArrive() {
        Fuzz.check(20_000, StrictRequestDecoderFuzzTest::arrival, a -> {
            List<HttpObject> out = decode(a.bytes(), a.cuts());
            try {
                assertThat(rejectedForFolding(out)).isEqualTo(a.folded());
                if (!a.folded()) {
                    assertThat(out).allMatch(m -> m.decoderResult().isSuccess());
                    assertThat(out.get(0)).isInstanceOf(HttpRequest.class);
                    assertThat(((HttpRequest) out.get(0)).uri()).isEqualTo("/x");
                    assertThat(out.stream().filter(HttpRequest.class::isInstance).count())
                            .isEqualTo(a.bytes().contains("/next") ? 2 : 1);
                }
            } finally {
                out.forEach(ReferenceCountUtil::release);
            }
        });
    }

    @Test
    void arbitraryBytesNeverThrow() {
        Fuzz.check(20_000, r -> Fuzz.anyString(r, 120).replace('\u0000', '\n'), raw -> {
            String text = "GET / HTTP/1.1\r\n" + raw;
            List<HttpObject> out = decode(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                    List.of(text.length() / 2));
            out.forEach(ReferenceCountUtil::release);
        });
    }
}
