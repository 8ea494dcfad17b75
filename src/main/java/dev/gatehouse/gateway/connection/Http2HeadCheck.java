package dev.gatehouse.gateway.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Holds the head of every new HTTP/2 request stream to the rules Vert.x would otherwise enforce by
 * resetting the stream, so that such a request gets Gatehouse's 400 {@code invalid-request} (with
 * {@code X-Request-Id} and a problem body) instead of an unexplained {@code RST_STREAM}.
 *
 * <p>What is refused (RFC 9113 section 8.3.1 and the contract's "two Host headers"): more than one
 * {@code host} field; a {@code host} that differs from {@code :authority}; an empty or unparsable
 * {@code :authority}, or an unparsable {@code host} standing in for a missing one; and the pseudo-header
 * faults Vert.x 4.5 checks in {@code Http2ServerConnection.isMalformedRequest} (no {@code :method}, no
 * {@code :scheme} or {@code :path}, a CONNECT with either or without {@code :authority}). An empty
 * {@code :authority} never gets here: Netty's HPACK decoder resets that stream itself. A request with a single {@code host} and no
 * {@code :authority} is allowed (the RFC allows it, as from an intermediary translating HTTP/1.1).
 *
 * <p>How: the refused head is passed on as a stand-in with neither {@code :authority} nor
 * {@code host} (and a method, scheme and path where they were missing), which Vert.x accepts and
 * Gatehouse's pipeline can only answer 400, since a request without an authority has no target. So
 * the refusal fails closed: nothing can route it. Why not let Vert.x reset: the client learns
 * nothing, and a reset stream that Vert.x never adopted makes Vert.x 4.5.27 throw a
 * {@code NullPointerException} in {@code Http2ConnectionBase.onConnectionError} (logged at WARN) when
 * the connection drops before the reset is written.
 *
 * <p>Installed on the decoder of each HTTP/2 connection before its first frame ({@link DecoderSwap}),
 * or, on a connection upgraded from HTTP/1.1 ({@code Upgrade: h2c}), at its first HTTP/2 request
 * ({@link ConnectionGuard#http2}).
 * Vert.x replaces the decoder's listener once, when the client's first SETTINGS frame is read; the
 * check then wraps the new listener, so it stays in front. One instance per connection, used on its
 * event loop only.
 */
final class Http2HeadCheck extends Http2FrameListenerDecorator {
    private static final Logger LOG = Logger.getLogger(Http2HeadCheck.class);

    private final Http2ConnectionDecoder decoder;
    /** The highest stream whose head was checked: a later HEADERS frame on it is its trailers. */
    private int lastStream;

    private Http2HeadCheck(Http2ConnectionDecoder decoder, Http2FrameListener listener, int lastStream) {
        super(listener);
        this.decoder = decoder;
        this.lastStream = lastStream;
    }

    /** Puts a check in front of the listener of the pipeline's HTTP/2 handler, if it has one and no check yet. */
    static void installOn(ChannelPipeline pipeline) {
        Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
        if (http2 != null) {
            install(http2.decoder());
        }
    }

    /** Puts a check in front of the decoder's current listener. */
    static void install(Http2ConnectionDecoder decoder) {
        Http2FrameListener current = decoder.frameListener();
        if (current != null && !(current instanceof Http2HeadCheck)) {
            decoder.frameListener(new Http2HeadCheck(decoder, current, 0));
        }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
        super.onSettingsRead(ctx, settings);
        Http2FrameListener now = decoder.frameListener();
        if (now != this && !(now instanceof Http2HeadCheck)) {
            // Vert.x swapped in its connection as the listener: stay in front of it
            decoder.frameListener(new Http2HeadCheck(decoder, now, lastStream));
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) throws Http2Exception {
        super.onHeadersRead(ctx, streamId, check(streamId, headers), padding, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream)
            throws Http2Exception {
        super.onHeadersRead(ctx, streamId, check(streamId, headers), streamDependency, weight, exclusive, padding,
                endOfStream);
    }

    private Http2Headers check(int streamId, Http2Headers headers) {
        if (streamId <= lastStream) {
            return headers; // trailers
        }
        lastStream = streamId;
        String fault = fault(headers);
        if (fault == null) {
            return headers;
        }
        LOG.debugf("HTTP/2 stream %d refused (answered 400): %s", streamId, fault);
        return standIn(headers);
    }

    /** @return why the head is refused, or null when it is well formed */
    static String fault(Http2Headers headers) {
        CharSequence method = headers.method();
        CharSequence authority = headers.authority();
        CharSequence path = headers.path();
        if (method == null) {
            return "no :method";
        }
        if ("CONNECT".contentEquals(method)) {
            if (headers.scheme() != null || path != null || authority == null) {
                return "malformed CONNECT";
            }
        } else if (headers.scheme() == null || path == null || path.length() == 0) {
            return "no :scheme or :path";
        }
        CharSequence host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            List<CharSequence> hosts = headers.getAll(HttpHeaderNames.HOST);
            if (hosts.size() > 1) {
                return "several Host headers";
            }
        }
        if (authority != null) {
            if (authority.length() == 0) {
                // Netty's HPACK decoder resets such a stream before this (an empty pseudo-header is a
                // PROTOCOL_ERROR to its header validation); here in case that validation is off
                return "empty :authority";
            }
            if (HostAndPort.parseAuthority(authority.toString(), -1) == null) {
                return "malformed :authority";
            }
            if (host != null && !host.toString().contentEquals(authority)) {
                return "Host differs from :authority";
            }
        } else if (host != null && HostAndPort.parseAuthority(host.toString(), -1) == null) {
            return "malformed Host";
        }
        return null;
    }

    /**
     * The head Vert.x gets instead: no authority at all (so no route), and a method, scheme and path
     * where they were missing (so that Vert.x hands it on rather than resetting the stream).
     */
    private static Http2Headers standIn(Http2Headers headers) {
        headers.remove(Http2Headers.PseudoHeaderName.AUTHORITY.value());
        headers.remove(HttpHeaderNames.HOST);
        CharSequence method = headers.method();
        if (method == null || "CONNECT".contentEquals(method)) {
            headers.method("GET");
        }
        if (headers.scheme() == null) {
            headers.scheme("https");
        }
        if (headers.path() == null || headers.path().length() == 0) {
            headers.path("/");
        }
        return headers;
    }
}
