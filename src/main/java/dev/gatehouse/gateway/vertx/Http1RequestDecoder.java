package dev.gatehouse.gateway.vertx;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP/1 request decoder ({@code io.vertx.core.http.impl.VertxHttpRequestDecoder}, an
 * implementation class) as a public base: a subclass decodes exactly as Vert.x's data port would
 * (same limits, same request objects), and adds its own checks. Kept here so that nothing outside
 * this adapter package names the implementation class.
 */
public abstract class Http1RequestDecoder extends VertxHttpRequestDecoder {
    protected Http1RequestDecoder(HttpServerOptions options) {
        super(options);
    }

    /** Whether {@code handler} is Vert.x's own HTTP/1 request decoder (not one of ours). */
    public static boolean isVertxDecoder(Object handler) {
        return handler instanceof VertxHttpRequestDecoder && !(handler instanceof Http1RequestDecoder);
    }
}
