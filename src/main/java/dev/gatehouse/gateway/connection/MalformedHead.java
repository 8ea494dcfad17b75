package dev.gatehouse.gateway.connection;

import io.netty.handler.codec.DecoderResult;
import io.vertx.core.http.HttpServerRequest;

/**
 * Marks the stand-in request that {@link StrictRequestDecoder} hands on in place of a request head
 * it refused (obsolete line folding, a malformed request line, anything Netty could not decode).
 *
 * <p>Vert.x would answer a head that failed to decode itself, bare ({@code HTTP/1.0 400}, no body,
 * no {@code X-Request-Id}), and Vert.x offers no way to change that per connection before the first
 * request. So the decoder emits a harmless stand-in ({@code GET /}, {@code Connection: close}, no
 * body) whose decoder result is this marker: to Vert.x a success, so the request reaches Gatehouse's
 * pipeline, which asks {@link #reasonOf} first and answers 400 {@code invalid-request} like any other
 * malformed request. Only the decoder creates the marker: no client bytes can produce it.
 */
public final class MalformedHead extends DecoderResult {
    private final String reason;

    MalformedHead(String reason) {
        super(SIGNAL_SUCCESS); // a success to Vert.x, so that the pipeline gets to answer it
        this.reason = reason;
    }

    /** @return why the strict decoder refused the request's head, or null for a head it decoded */
    public static String reasonOf(HttpServerRequest req) {
        return req.decoderResult() instanceof MalformedHead m ? m.reason : null;
    }

    String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "malformed head: " + reason;
    }
}
