package dev.gatehouse.gateway.forward;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams an upstream response body to the client with back-pressure, as
 * {@code cresp.pipe().endOnFailure(false).to(resp)} did, and with one difference: the chunk that
 * completes a body of known length ({@code Content-Length}) is held back and written with the end
 * of the response. A small answer (the common case: the whole body in the read that brought its
 * head) then leaves as one message, head, body and end together, with one flush, instead of a
 * head-and-chunk write and a separate end, each flushed. Holding it delays nothing: once the last
 * byte of a sized body is in, the upstream's end follows in the same read.
 *
 * <p>Same outcomes as the pipe: {@code done} gets the end's write result when the upstream ended
 * normally, or the failure (upstream broke off or was reset, a write to the client failed) without
 * ending the client's response, so that a truncated body never looks complete.
 *
 * <p>The upstream's trailer fields, when it sent any and the client's response can carry them, are
 * added to the client response's trailers just before its end ({@link TrailerHygiene} decides which).
 * Vert.x hands every ended HTTP/1 response an (empty) trailers map: one emptiness check at the end is
 * all an answer without trailers costs.
 */
final class ResponseRelay {
    private final HttpClientResponse from;
    private final HttpServerResponse to;
    private final Handler<AsyncResult<Void>> done;
    /** Decides which trailers pass; null when the client's response cannot carry trailers (they are dropped). */
    private final HeaderHygiene trailerHygiene;
    /** The upstream's Content-Length, or -1 when it sent none (or one that is not a number). */
    private final long declared;
    private final Handler<AsyncResult<Void>> writeResult = this::written;
    private long received;
    private Buffer held;
    private boolean finished;

    private ResponseRelay(HttpClientResponse from, HttpServerResponse to, HeaderHygiene trailerHygiene,
                          Handler<AsyncResult<Void>> done) {
        this.from = from;
        this.to = to;
        this.trailerHygiene = trailerHygiene;
        this.done = done;
        this.declared = length(from.getHeader("Content-Length"));
    }

    /**
     * Starts relaying {@code from} to {@code to}; {@code done} is called once, as the pipe's completion handler was.
     *
     * @param trailerHygiene the hygiene for the upstream's trailers; null to drop them (the client's
     *                       response cannot carry them, HTTP/1.0, or the upstream's body has a known length)
     */
    static void relay(HttpClientResponse from, HttpServerResponse to, HeaderHygiene trailerHygiene,
                      Handler<AsyncResult<Void>> done) {
        ResponseRelay r = new ResponseRelay(from, to, trailerHygiene, done);
        from.exceptionHandler(r::failed);
        from.endHandler(v -> r.ended());
        from.handler(r::chunk);
    }

    private void chunk(Buffer chunk) {
        if (finished) {
            return;
        }
        received += chunk.length();
        if (received == declared && held == null) {
            held = chunk; // the body is complete: it goes out with the end, in one write
            return;
        }
        to.write(chunk, writeResult);
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    private void written(AsyncResult<Void> ack) {
        if (ack.failed()) {
            failed(ack.cause());
            from.resume(); // as the pipe did: let the upstream's rest drain rather than stall its connection
        }
    }

    private void ended() {
        if (finish()) {
            if (trailerHygiene != null) {
                MultiMap trailers = from.trailers();
                if (!trailers.isEmpty()) {
                    TrailerHygiene.copy(trailers, from.headers(), to.trailers(), trailerHygiene);
                }
            }
            if (held != null) {
                to.end(held, done);
            } else {
                to.end(done);
            }
        }
    }

    private void failed(Throwable cause) {
        if (finish()) {
            done.handle(Future.failedFuture(cause));
        }
    }

    /** Marks the relay finished and stops listening to the upstream; false when it already was. */
    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        from.handler(null);
        from.exceptionHandler(null);
        from.endHandler(null);
        return true;
    }

    private static long length(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
