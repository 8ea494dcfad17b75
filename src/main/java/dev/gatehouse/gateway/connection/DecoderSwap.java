package dev.gatehouse.gateway.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.function.Supplier;

/**
 * Puts a {@link StrictRequestDecoder} in place of Vert.x's HTTP/1 request decoder before the first
 * byte reaches it, then leaves the pipeline.
 *
 * <p>Vert.x builds the HTTP/1 part of a pipeline late: after the TLS handshake, or once the first
 * bytes show the connection is not HTTP/2 with prior knowledge. So if the decoder is not there at
 * the first read, the swap moves to the end of the pipeline, where Vert.x appends it, and looks
 * again at the next read that reaches it; if it is still missing then, the connection is not
 * HTTP/1 and the swap just leaves.
 */
final class DecoderSwap extends ChannelInboundHandlerAdapter {
    static final String NAME = "gatehouseDecoderSwap";
    /** The name Vert.x gives its HTTP/1 request decoder (and removes it by, on upgrades). */
    static final String HTTP_DECODER = "httpDecoder";

    private final Supplier<StrictRequestDecoder> decoders;
    private final boolean atEnd;

    DecoderSwap(Supplier<StrictRequestDecoder> decoders, boolean atEnd) {
        this.decoders = decoders;
        this.atEnd = atEnd;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline pipeline = ctx.pipeline();
        Object decoder = pipeline.get(HTTP_DECODER);
        if (decoder instanceof VertxHttpRequestDecoder && !(decoder instanceof StrictRequestDecoder)) {
            // replaced before this handler leaves, so that its next neighbour is the new decoder
            pipeline.replace(HTTP_DECODER, HTTP_DECODER, decoders.get());
        }
        pipeline.remove(this);
        if (decoder == null && !atEnd) {
            pipeline.addLast(NAME, new DecoderSwap(decoders, true));
        }
        ctx.fireChannelRead(msg); // a removed handler still passes on to its next neighbour
    }
}
