package dev.gatehouse.gateway.connection;

import dev.gatehouse.access.RequestReason;
import dev.gatehouse.gateway.vertx.Http1RequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder, made strict, and made to let Gatehouse answer what it refuses.
 *
 * <p>Refused heads: obsolete line folding (a header line starting with a space or tab, RFC 9112
 * section 5.2) or whitespace before the first header field, which Netty would unfold; a request line
 * other than exactly {@code method SP request-target SP HTTP/1.x} (Netty splits on any run of
 * whitespace, reads any {@code HTTP/x.y}, and lets tabs and bytes before the method pass); and
 * anything Netty fails to decode. In place of a refused head the decoder emits a stand-in request
 * marked {@link MalformedHead}, which the pipeline answers 400 {@code invalid-request} with
 * {@code Connection: close}; nothing of the refused head reaches the pipeline, and nothing after it
 * is read. Heads over the size limits are left to Vert.x (414, 431).
 *
 * <p>A body Netty cannot decode (a bad chunk size, a malformed trailer) arrives after its head went
 * to the pipeline, which may be forwarding it: see {@link #bodyRefused}.
 *
 * <p>Netty consumes a request head line by line and emits it whole, so the decoder knows exactly
 * where each head starts: only head bytes are scanned, never a body.
 */
final class StrictRequestDecoder extends Http1RequestDecoder {
    static final String FOLDED = "obsolete line folding";
    static final String BAD_REQUEST_LINE = "malformed request line";
    private static final String[] STAND_IN_LINE = {"GET", "/", "HTTP/1.1"};
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** The next bytes belong to a request head (none in flight, or the last one fully read). */
    private boolean awaitingHead = true;
    /** Netty has consumed the request line of the head being read: the next byte starts a header line. */
    private boolean inHeaderLines;
    private boolean rejected;
    /** The head whose body is being read, while it is. */
    private HttpRequest head;

    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (rejected) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (awaitingHead) {
            String problem = headProblem(buffer, inHeaderLines);
            if (problem != null) {
                buffer.skipBytes(buffer.readableBytes());
                refuseHead(out, problem);
                return;
            }
        }
        int from = buffer.readerIndex();
        int emitted = out.size();
        super.decode(ctx, buffer, out);
        for (int i = emitted; i < out.size(); i++) {
            Object message = out.get(i);
            DecoderResult result = ((HttpObject) message).decoderResult();
            if (result.isFailure() && !(result.cause() instanceof TooLongFrameException)) {
                // Netty refused what it read and skips the rest of the connection's bytes: so do we
                rejected = true;
                if (message instanceof HttpRequest) {
                    discard(out, i);
                    refuseHead(out, "undecodable head (" + result.cause().getClass().getSimpleName() + ")");
                } else if (bodyRefused(ctx)) {
                    discard(out, i);
                }
                return;
            }
            if (message instanceof HttpRequest request) {
                awaitingHead = false;
                inHeaderLines = false;
                head = request;
            }
            if (message instanceof LastHttpContent) {
                awaitingHead = true;
                head = null;
            }
        }
        if (awaitingHead && out.size() == emitted && !inHeaderLines) {
            inHeaderLines = consumedRequestLine(buffer, from, buffer.readerIndex());
        }
    }

    /** Emits the stand-in for a refused head; nothing after it is decoded. */
    private void refuseHead(List<Object> out, String reason) {
        rejected = true;
        head = null;
        HttpMessage standIn = createMessage(STAND_IN_LINE);
        // Vert.x closes the connection after the answer whoever writes it
        standIn.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        standIn.setDecoderResult(new MalformedHead(reason));
        out.add(standIn);
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /**
     * The body of {@link #head} broke off undecodable. When the pipeline holds that very request and
     * no byte of its response has been written, the client gets a 400 {@code invalid-request} with
     * {@code Connection: close} from here, and the connection closes once it is sent: the forwarder,
     * which may be streaming the body, resets its upstream request when the connection closes, so the
     * upstream never takes the truncated body for a complete one. The answer is written below Vert.x,
     * whose response object stays untouched for the forwarder that may still be setting it up.
     *
     * <p>Otherwise (the response has started, or the broken body belongs to a pipelined request that
     * waits behind another) no answer can be written: Vert.x gets the failure, fails the request (the
     * forwarder resets its upstream request) and closes the connection.
     *
     * @return whether answered here (the failed message must then not reach Vert.x)
     */
    private boolean bodyRefused(ChannelHandlerContext ctx) {
        ConnectionGuard guard = ctx.channel().attr(ConnectionGuard.KEY).get();
        HttpServerRequest exchange = guard == null ? null : guard.exchange();
        // the pipeline's request reads its headers from the very map the decoder filled for the head
        if (exchange == null || head == null || exchange.headers() != head.headers()
                || exchange.response().headWritten()) {
            return false;
        }
        String requestId = exchange.response().headers().get("X-Request-Id");
        ctx.writeAndFlush(Unpooled.wrappedBuffer(badRequest(exchange.version(), requestId)))
                .addListener(ChannelFutureListener.CLOSE);
        return true;
    }

    /** The 400 that {@code DenyResponder} renders for {@code invalid-request}, as bytes on the wire. */
    static byte[] badRequest(HttpVersion version, String requestId) {
        RequestReason reason = RequestReason.INVALID_REQUEST;
        String body = new JsonObject()
                .put("type", "https://gatehouse.dev/problems/" + reason.code())
                .put("title", "Bad request")
                .put("status", 400)
                .put("reason", reason.code())
                .put("detail", reason.explanation())
                .putNull("app")
                .put("request_id", requestId)
                .encode();
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        String lines = (version == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1") + " 400 Bad Request\r\n"
                + "Content-Type: application/problem+json\r\n"
                + "Cache-Control: no-store\r\n"
                + (requestId == null ? "" : "X-Request-Id: " + requestId + "\r\n")
                + "Connection: close\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n";
        byte[] bytes = new byte[lines.length() + json.length];
        System.arraycopy(lines.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, lines.length());
        System.arraycopy(json, 0, bytes, lines.length(), json.length);
        return bytes;
    }

    private static void discard(List<Object> out, int from) {
        while (out.size() > from) {
            ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
    }

    /**
     * What is wrong with the head at the start of {@code buf}: {@link #BAD_REQUEST_LINE} when its
     * request line is not strictly {@code method SP request-target SP HTTP/1.x CRLF} or is preceded
     * by anything but empty lines; {@link #FOLDED} when a header line begins with a space or tab
     * before the empty line; null when neither is seen yet. {@code atHeaderLine}: the request line
     * was consumed already (and checked then). An incomplete last line is left for the next call.
     */
    static String headProblem(ByteBuf buf, boolean atHeaderLine) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        if (!atHeaderLine) {
            while (i < end && skippedBeforeRequestLine(buf.getByte(i))) {
                byte b = buf.getByte(i);
                if (b != CR && b != LF) {
                    // Netty would skip it and read a request line after it: only empty lines may
                    // precede one (RFC 9112 section 2.2)
                    return BAD_REQUEST_LINE;
                }
                i++;
            }
            int lf = buf.indexOf(i, end, LF);
            if (lf < 0) {
                return null;
            }
            if (!isRequestLine(buf, i, lf)) {
                return BAD_REQUEST_LINE;
            }
            i = lf + 1;
        }
        while (i < end) {
            byte b = buf.getByte(i);
            if (b == ' ' || b == '\t') {
                return FOLDED;
            }
            if (b == CR || b == LF) {
                return null; // the empty line: the head is complete
            }
            int lf = buf.indexOf(i, end, LF);
            if (lf < 0) {
                return null;
            }
            i = lf + 1;
        }
        return null;
    }

    /**
     * RFC 9112 section 3, strictly: a token, one space, a target of visible characters (bytes above
     * 0x7f are left to the path and URI checks downstream), one space, {@code HTTP/1.0} or
     * {@code HTTP/1.1}, CRLF. {@code lf} is the index of the line's LF.
     */
    static boolean isRequestLine(ByteBuf buf, int from, int lf) {
        if (lf == from || buf.getByte(lf - 1) != CR) {
            return false;
        }
        int end = lf - 1;
        int i = from;
        while (i < end && isTchar(buf.getByte(i))) {
            i++;
        }
        if (i == from || i == end || buf.getByte(i) != ' ') {
            return false;
        }
        int target = ++i;
        while (i < end && isTargetByte(buf.getByte(i))) {
            i++;
        }
        if (i == target || i == end || buf.getByte(i) != ' ') {
            return false;
        }
        i++;
        return end - i == 8 && buf.getByte(i) == 'H' && buf.getByte(i + 1) == 'T' && buf.getByte(i + 2) == 'T'
                && buf.getByte(i + 3) == 'P' && buf.getByte(i + 4) == '/' && buf.getByte(i + 5) == '1'
                && buf.getByte(i + 6) == '.' && (buf.getByte(i + 7) == '1' || buf.getByte(i + 7) == '0');
    }

    private static boolean isTchar(byte b) {
        return b > 0 && TCHAR[b];
    }

    /** Not a control character, space or DEL; bytes above 0x7f are signed negative here. */
    private static boolean isTargetByte(byte b) {
        return b < 0 || (b > ' ' && b != 0x7f);
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
