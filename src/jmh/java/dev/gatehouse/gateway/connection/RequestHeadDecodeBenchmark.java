package dev.gatehouse.gateway.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the head scan (request line, obs-fold) adds per request: one realistic API request head
 * (about 1.2 KB with its bearer token) decoded by Vert.x's own HTTP/1 decoder and by
 * {@link StrictRequestDecoder}, each in an {@code EmbeddedChannel} (the channel's own cost is in both
 * figures), and the scan alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestHeadDecodeBenchmark {
    private static final String HEAD = "GET /api/v1/items?page=2 HTTP/1.1\r\n"
            + "Host: wiki.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36\r\n"
            + "Accept: application/json\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n"
            + "Authorization: Bearer " + "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." + "a".repeat(600) + "." + "s".repeat(342) + "\r\n"
            + "Cookie: theme=dark\r\n"
            + "\r\n";

    private ByteBuf head;
    private EmbeddedChannel vertx;
    private EmbeddedChannel strict;

    @Setup(Level.Trial)
    public void setUp() {
        head = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(HEAD.getBytes(StandardCharsets.US_ASCII)));
        vertx = new EmbeddedChannel(new VertxHttpRequestDecoder(new HttpServerOptions()));
        strict = new EmbeddedChannel(new StrictRequestDecoder(new HttpServerOptions()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vertx.finishAndReleaseAll();
        strict.finishAndReleaseAll();
    }

    @Benchmark
    public int vertxDecoder() {
        return decode(vertx);
    }

    @Benchmark
    public int strictDecoder() {
        return decode(strict);
    }

    /** The scan alone: what the strict decoder adds on top of Vert.x's. */
    @Benchmark
    public boolean foldScanOnly() {
        return StrictRequestDecoder.headProblem(head, false) != null;
    }

    private int decode(EmbeddedChannel channel) {
        channel.writeInbound(head.duplicate());
        int messages = 0;
        for (Object m; (m = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(m);
            messages++;
        }
        return messages;
    }
}
