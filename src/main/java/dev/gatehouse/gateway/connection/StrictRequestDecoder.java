package dev.gatehouse.gateway.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder, except that a request head with obsolete line folding (a header
 * line starting with a space or tab, RFC 9112 section 5.2), or whitespace before its first header
 * field, is a bad request instead of being unfolded: Vert.x answers it 400 with
 * {@code Connection: close}, as it does a malformed request line, and nothing of it reaches the
 * pipeline.
 *
 * <p>Netty consumes a request head line by line and emits it whole, so the decoder knows exactly
 * where each head starts: only head bytes are scanned, never a body.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** The next bytes belong to a request head (none in flight, or the last one fully read). */
    private boolean awaitingHead = true;
    /** Netty has consumed the request line of the head being read: the next byte starts a header line. */
    private boolean inHeaderLines;
    private boolean rejected;

    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (rejected) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (awaitingHead && hasFoldedLine(buffer, inHeaderLines)) {
            rejected = true;
            buffer.skipBytes(buffer.readableBytes());
            HttpMessage bad = createInvalidMessage();
            bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("obsolete line folding")));
            out.add(bad);
            return;
        }
        int from = buffer.readerIndex();
        int emitted = out.size();
        super.decode(ctx, buffer, out);
        for (int i = emitted; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest) {
                awaitingHead = false;
                inHeaderLines = false;
            }
            if (message instanceof LastHttpContent) {
                awaitingHead = true;
            }
        }
        if (awaitingHead && out.size() == emitted && !inHeaderLines) {
            inHeaderLines = consumedRequestLine(buffer, from, buffer.readerIndex());
        }
    }

    /**
     * Whether the head at the start of {@code buf} has a line that begins with a space or tab before
     * its empty line. {@code atHeaderLine}: the request line was consumed already. An incomplete
     * last line is left for the next call, when more bytes have arrived.
     */
    static boolean hasFoldedLine(ByteBuf buf, boolean atHeaderLine) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        if (!atHeaderLine) {
            while (i < end && skippedBeforeRequestLine(buf.getByte(i))) {
                i++; // what Netty skips before a request line
            }
            int lf = buf.indexOf(i, end, LF);
            if (lf < 0) {
                return false;
            }
            i = lf + 1;
        }
        while (i < end) {
            byte b = buf.getByte(i);
            if (b == ' ' || b == '\t') {
                return true;
            }
            if (b == CR || b == LF) {
                return false; // the empty line: the head is complete
            }
            int lf = buf.indexOf(i, end, LF);
            if (lf < 0) {
                return false;
            }
            i = lf + 1;
        }
        return false;
    }

    /** Netty consumes a request line only once it is complete: consumed visible bytes mean it is read. */
    private static boolean consumedRequestLine(ByteBuf buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!skippedBeforeRequestLine(buf.getByte(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean skippedBeforeRequestLine(byte b) {
        char c = (char) (b & 0xff);
        return Character.isISOControl(c) || Character.isWhitespace(c);
    }
}
