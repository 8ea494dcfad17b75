package dev.gatehouse.gateway.vertx;

import dev.gatehouse.net.IpAddresses;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.SocketAddressImpl;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;

/**
 * Everything Gatehouse takes from Vert.x implementation classes, in one place, so that a Vert.x
 * upgrade breaks one small package and nothing else ({@code ArchitectureTest} fails when another
 * package imports an {@code .impl.} class).
 */
public final class VertxInternals {
    private VertxInternals() {
    }

    /** {@code HeadersAdaptor.headers} (private): the Netty headers under an upstream response's header map. */
    private static final MethodHandle ADAPTED = adaptedGetter();

    private static MethodHandle adaptedGetter() {
        try {
            return MethodHandles.privateLookupIn(HeadersAdaptor.class, MethodHandles.lookup())
                    .findGetter(HeadersAdaptor.class, "headers", HttpHeaders.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a Vert.x that changed the field: callers take the String path
        }
    }

    /**
     * The Netty headers a Vert.x header map is, or wraps: a server request's map
     * ({@code HeadersMultiMap} is itself Netty {@link HttpHeaders}) or an HTTP/1 upstream
     * response's ({@code HeadersAdaptor} over the decoder's {@code DefaultHttpHeaders}). Iterated as
     * {@link HttpHeaders#iteratorCharSequence()}, their names come as decoded ({@code AsciiString})
     * instead of a new {@code String} per name, as the {@code MultiMap} iterator makes them. Null for
     * any other map (callers then iterate the {@code MultiMap}).
     */
    public static HttpHeaders nettyHeaders(MultiMap headers) {
        if (headers instanceof HttpHeaders netty) {
            return netty;
        }
        if (headers instanceof HeadersAdaptor && ADAPTED != null) {
            try {
                return (HttpHeaders) ADAPTED.invokeExact((HeadersAdaptor) headers);
            } catch (Throwable e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The TCP peer of a request as an address. Vert.x already holds it as an {@link InetAddress}
     * ({@code SocketAddressImpl.ipAddress()}); parsing its text form costs more on every request.
     * Null for a peer that is not an IP address (a Unix domain socket).
     */
    public static InetAddress peerAddress(HttpServerRequest req) {
        // the connection's address, read from the connection: the request's remoteAddress() goes through
        // Vert.x Web's forwarded-header parser, which builds a new address object (and its text) per request
        HttpConnection connection = req.connection();
        SocketAddress remote = connection != null ? connection.remoteAddress() : req.remoteAddress();
        if (remote == null) {
            return null;
        }
        if (remote instanceof SocketAddressImpl impl && impl.ipAddress() != null) {
            return impl.ipAddress();
        }
        return remote.hostAddress() == null ? null : IpAddresses.parse(remote.hostAddress());
    }

    /**
     * The Netty channel under a Vert.x connection ({@code ConnectionBase.channel()}), or null when the
     * connection is not one Vert.x built on a channel.
     */
    public static Channel channelOf(HttpConnection connection) {
        return connection instanceof ConnectionBase base ? base.channel() : null;
    }

    /**
     * Lets a plain-HTTP upstream connection encode what it sends (the request head) into pooled
     * direct memory, as Vert.x's own server connections do ({@code SSLHelper.serverByteBufAllocator}:
     * {@code PooledByteBufAllocator.DEFAULT} without TLS). Vert.x gives client channels its
     * {@code PartialPooledByteBufAllocator}, whose {@code buffer()} is unpooled heap: every upstream
     * request head was a new heap array, then copied into a direct buffer for the socket write.
     * Reads are unchanged (both read into pooled direct memory) and Vert.x still copies whatever
     * pooled memory it hands to Gatehouse ({@code VertxHandler.safeBuffer} copies any buffer of a
     * {@code PooledByteBufAllocator}), as it does on the server side and on its own client with
     * JDK TLS and pooled heap buffers. A TLS connection keeps Vert.x's choice (its engine decides
     * what kind of memory it wants).
     *
     * @return whether the connection now uses the pooled allocator
     */
    public static boolean poolOutboundBuffers(HttpConnection connection) {
        if (connection.isSsl()) {
            return false;
        }
        Channel channel = channelOf(connection);
        if (channel == null) {
            return false;
        }
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        return true;
    }

    /**
     * The Netty event loop whose thread this is, when the current Vert.x context is an event-loop
     * context running on it; null on any other thread (a worker context, a plain thread).
     */
    public static EventLoop currentEventLoop() {
        Context ctx = Vertx.currentContext();
        if (ctx instanceof ContextInternal internal && internal.isEventLoopContext()
                && internal.nettyEventLoop().inEventLoop()) {
            return internal.nettyEventLoop();
        }
        return null;
    }

    /** The timeout failure Vert.x's own timers give (a {@code TimeoutException} without a stack trace). */
    public static java.util.concurrent.TimeoutException timeout(String message) {
        return new NoStackTraceTimeoutException(message);
    }
}
