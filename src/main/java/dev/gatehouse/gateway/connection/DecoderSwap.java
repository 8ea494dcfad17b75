package dev.gatehouse.gateway.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import dev.gatehouse.gateway.vertx.Http1RequestDecoder;
import java.util.function.Supplier;

/**
 * Puts a {@link StrictRequestDecoder} in place of Vert.x's HTTP/1 request decoder before the first
 * byte reaches it, then leaves the pipeline.
 *
 * <p>Vert.x builds the HTTP/1 part of a pipeline late: after a PROXY protocol header, after the TLS
 * handshake, or once the first bytes show the connection is not HTTP/2 with prior knowledge. So
 * while the decoder is not there, the swap moves to the end of the pipeline, where Vert.x appends
 * its handlers, and looks again at the next read that reaches it. It leaves without a swap once the
 * pipeline is HTTP/2, after putting an {@link Http2HeadCheck} in front of the HTTP/2 decoder's
 * listener (the first bytes it passes on are the HTTP/2 handler's first). A request that still arrives through another decoder is caught by
 * {@link ClientConnections}, which closes its connection after the answer.
 */
final class DecoderSwap extends ChannelInboundHandlerAdapter {
    static final String NAME = "gatehouseDecoderSwap";
    /** The name Vert.x gives its HTTP/1 request decoder (and removes it by, on upgrades). */
    static final String HTTP_DECODER = "httpDecoder";

    /** Bounds how often one connection's swap waits for a pipeline still being built. */
    private static final int MAX_MOVES = 8;

    private final Supplier<StrictRequestDecoder> decoders;
    private final int moves;

    DecoderSwap(Supplier<StrictRequestDecoder> decoders) {
        this(decoders, 0);
    }

    private DecoderSwap(Supplier<StrictRequestDecoder> decoders, int moves) {
        this.decoders = decoders;
        this.moves = moves;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline pipeline = ctx.pipeline();
        Object decoder = pipeline.get(HTTP_DECODER);
        if (Http1RequestDecoder.isVertxDecoder(decoder)) {
            // replaced before this handler leaves, so that its next neighbour is the new decoder
            pipeline.replace(HTTP_DECODER, HTTP_DECODER, decoders.get());
        }
        pipeline.remove(this);
        Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
        if (http2 != null) {
            // before the handler reads its first frame: request heads Vert.x would reset get a 400
            Http2HeadCheck.install(http2.decoder());
        }
        if (decoder == null && moves < MAX_MOVES && http2 == null) {
            // still being built (PROXY protocol header, TLS handshake, HTTP/2 prior-knowledge check):
            // wait at the end, where Vert.x appends the next handlers
            pipeline.addLast(NAME, new DecoderSwap(decoders, moves + 1));
        }
        ctx.fireChannelRead(msg); // a removed handler still passes on to its next neighbour
    }
}
