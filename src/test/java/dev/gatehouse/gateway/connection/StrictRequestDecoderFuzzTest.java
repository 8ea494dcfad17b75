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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The strict decoder against a plain model of RFC 9112: a head is rejected exactly when one of its
 * header lines starts with a space or tab, or when its request line is not exactly
 * {@code method SP target SP HTTP/1.x CRLF} after nothing but empty lines, however the bytes are
 * split into reads; a clean head (and one pipelined behind it) decodes as Vert.x's own decoder
 * would; nothing throws.
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

    /** Decoded as sent: a success, and not the stand-in for a refused head. */
    private static boolean decoded(HttpObject m) {
        return m.decoderResult().isSuccess() && !(m.decoderResult() instanceof MalformedHead);
    }

    private static boolean rejectedForFolding(List<HttpObject> out) {
        return out.stream().anyMatch(m -> m.decoderResult() instanceof MalformedHead refused
                && StrictRequestDecoder.FOLDED.equals(refused.reason()));
    }

    @Test
    void rejectsExactlyTheHeadsWithFoldedLinesHoweverTheyArrive() {
        Fuzz.check(20_000, StrictRequestDecoderFuzzTest::arrival, a -> {
            List<HttpObject> out = decode(a.bytes(), a.cuts());
            try {
                assertThat(rejectedForFolding(out)).isEqualTo(a.folded());
                if (!a.folded()) {
                    assertThat(out).allMatch(StrictRequestDecoderFuzzTest::decoded);
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

    /** A request line built from parts, some of them wrong, and whether RFC 9112 allows it. */
    record RequestLine(String bytes, boolean strict, List<Integer> cuts) {
        @Override
        public String toString() {
            return bytes + " cut at " + cuts;
        }
    }

    /** RFC 9112 sections 2.2 and 3: empty lines, then token SP visible-characters SP HTTP/1.x CRLF. */
    private static final Pattern STRICT_LINE =
            Pattern.compile("[\\r\\n]*[!#$%&'*+\\-.^_`|~0-9A-Za-z]+ [^\\x00-\\x20\\x7f]+ HTTP/1\\.[01]\r\n");

    static RequestLine requestLine(Random r) {
        String before = Fuzz.oneOf(r, List.of("", "", "\r\n", "\r\n\r\n", "\n", " ", "\t", "\u0001", "\u0016\u0003"));
        String method = Fuzz.oneOf(r, List.of("GET", "GET", "POST", "M-SEARCH", "get", "G\u0001T", "GE T", "G\u00c9T", ""));
        String sep1 = Fuzz.oneOf(r, List.of(" ", " ", " ", "  ", "\t", ""));
        String target = Fuzz.oneOf(r, List.of("/", "/x?a=b&c=%0d", "*", "http://h/x", "/\u00e9", "/a\u0001b", "/?a\u007fb",
                "/a\tb", "/a\u0000b", ""));
        String sep2 = Fuzz.oneOf(r, List.of(" ", " ", " ", "  ", "\t", ""));
        String version = Fuzz.oneOf(r, List.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/9.9", "HTTP/1.2", "http/1.1",
                "HTTP/2.0", "HTTP/1.10", "HTTP/1.1 ", "HTTP/1.1\u0001", ""));
        String end = Fuzz.oneOf(r, List.of("\r\n", "\r\n", "\r\n", "\n"));
        String line = before + method + sep1 + target + sep2 + version + end;
        boolean strict = STRICT_LINE.matcher(line).matches();
        String bytes = line + "Host: h\r\n\r\n";
        List<Integer> cuts = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            cuts.add(r.nextInt(bytes.length() + 1));
        }
        cuts.sort(null);
        return new RequestLine(bytes, strict, cuts);
    }

    @Test
    void rejectsExactlyTheRequestLinesThatAreNotStrictHoweverTheyArrive() {
        Fuzz.check(20_000, StrictRequestDecoderFuzzTest::requestLine, line -> {
            List<HttpObject> out = decode(line.bytes(), line.cuts());
            try {
                boolean refused = out.stream().anyMatch(m -> m.decoderResult() instanceof MalformedHead);
                assertThat(refused).isEqualTo(!line.strict());
                if (line.strict()) {
                    assertThat(out).allMatch(StrictRequestDecoderFuzzTest::decoded);
                    assertThat(out.get(0)).isInstanceOf(HttpRequest.class);
                } else {
                    // the stand-in and its end, nothing of the refused request
                    assertThat(out).hasSize(2);
                    assertThat(((HttpRequest) out.get(0)).uri()).isEqualTo("/");
                    assertThat(((HttpRequest) out.get(0)).headers().get("connection")).isEqualTo("close");
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
