package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.gateway.forward.ForwardOutcome.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeoutException;

/**
 * Streams an allowed request to its upstream and the response back, with back-pressure both ways;
 * bodies are never buffered whole. Connect failures answer 502, an upstream slower than the app's
 * timeout 504 (whether it is slow to answer, or all its pooled connections stay busy that long); a failure after the response started resets the client connection so the client
 * knows the body is incomplete.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class HttpForwarder {
    private final UpstreamClients clients;
    private final HeaderHygiene hygiene;

    public HttpForwarder(UpstreamClients clients, HeaderHygiene hygiene) {
        this.clients = clients;
        this.hygiene = hygiene;
    }

    /** The request must be paused; this resumes it as the upstream accepts data. */
    public void forward(HttpServerRequest req, ForwardPlan plan, ForwardOutcome outcome) {
        AppConfig app = plan.app();
        boolean hasLength = req.headers().contains(HttpHeaders.CONTENT_LENGTH);
        boolean bodyless = !hasLength && (req.version() != HttpVersion.HTTP_2 ? !isChunked(req)
                : req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD);
        RequestOptions opts = new RequestOptions()
                .setMethod(req.method())
                .setHost(app.upstream().getHost())
                .setPort(UpstreamClients.port(app.upstream()))
                .setSsl(UpstreamClients.isHttps(app))
                .setURI(plan.uri());
        long timeoutMillis = app.timeout().toMillis();
        if (timeoutMillis > 0) {
            // the wait for a pooled upstream connection (all pool-size busy) or a new one counts
            // against the app's timeout too: without it a queued request waited for ever. Vert.x arms
            // this timer only when the request has to wait, not when an idle connection is at hand.
            opts.setConnectTimeout(timeoutMillis);
        }
        HttpServerResponse resp = req.response();
        long start = System.nanoTime();
        clients.http(app).request(opts).onComplete(created -> {
            if (created.failed()) {
                // no connection within the app's timeout (pool busy, or the upstream slow to accept)
                // is the upstream being too slow: 504; a refused or failed connection is 502
                boolean waitedTooLong = created.cause() instanceof TimeoutException;
                outcome.done(waitedTooLong ? 504 : 502, 0,
                        waitedTooLong ? UpstreamFailure.TIMEOUT : UpstreamFailure.UNAVAILABLE);
                return;
            }
            HttpClientRequest creq = created.result();
            // every failure of the upstream request reaches the answer future below and ends as an
            // outcome (status, reason in the decision log); without a handler Vert.x would also log
            // each stopped request (a body over the limit or broken off, a client gone) as an ERROR
            // of its own, "Stream reset: 0", with nothing to say which request it was
            creq.exceptionHandler(ignored -> { });
            // the app's timeout for the response head, from now: as Vert.x's request idle timeout,
            // without its timer per request (UpstreamTimeout)
            UpstreamTimeout timeout = UpstreamTimeout.start(creq, app.timeout().toMillis());
            // the upstream head is built once, in the request's own header map: the client's headers
            // Gatehouse lets through, then its own (no intermediate map copied in by the client)
            MultiMap headers = creq.headers();
            hygiene.copyRequestHeaders(req.headers(), headers, app.forwardToken(), false);
            plan.addedHeaders().setOn(headers);
            if (app.preserveHost() && req.authority() != null) {
                headers.set(HttpHeaders.HOST, req.authority().toString());
            }
            // a client gone before its answer ended: stop the upstream request. Only then: on HTTP/2
            // the close handler also runs when a stream ends normally, and resetting the finished
            // upstream request would close its keep-alive connection after every request
            resp.closeHandler(v -> {
                if (!resp.ended()) {
                    creq.reset();
                }
            });
            if (!hasLength && !bodyless) {
                creq.setChunked(true);
            }
            if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT)) && !bodyless) {
                resp.writeContinue(); // only now: a denied request never gets to send its body
            }
            boolean[] tooLarge = {false};
            ReadStream<Buffer> body = req;
            if (!hasLength && !bodyless && app.maxBodyBytes() >= 0) {
                body = new LimitedBody(req, app.maxBodyBytes(), () -> {
                    tooLarge[0] = true;
                    creq.reset();
                });
            }
            Future<HttpClientResponse> answer;
            if (bodyless) {
                answer = creq.send();
            } else {
                // never let a client body that breaks off (framing error, reset) end the upstream
                // request normally: that would deliver a truncated body as a complete one
                body.pipe().endOnFailure(false).to(creq).onFailure(err -> creq.reset());
                answer = creq.response();
            }
            answer.onComplete(answered -> {
                if (timeout != null) {
                    timeout.cancel();
                }
                if (tooLarge[0]) {
                    outcome.done(413, 0, UpstreamFailure.TOO_LARGE);
                    return;
                }
                if (answered.failed()) {
                    if (resp.closed()) {
                        outcome.done(499, System.nanoTime() - start, UpstreamFailure.CLIENT_CLOSED);
                    } else {
                        outcome.done(statusFor(answered.cause()), 0, failureFor(answered.cause()));
                    }
                    return;
                }
                relay(answered.result(), resp, req.version(), plan.requestId(), start, outcome);
            });
            if (bodyless && !req.isEnded()) {
                // an HTTP/2 stream the client reset while the upstream was being reached has already
                // ended: resuming it would throw "Request has already been read" on the event loop
                req.resume();
            }
        });
    }

    private void relay(HttpClientResponse cresp, HttpServerResponse resp, HttpVersion clientVersion,
                       String requestId, long start, ForwardOutcome outcome) {
        if (resp.closed()) {
            // the client went away while the upstream answered: drop the answer quietly (without a
            // handler Vert.x logs the reset it causes as an ERROR, "Stream reset: 0")
            cresp.exceptionHandler(ignored -> { });
            cresp.request().reset();
            // still an outcome: the decision log and the request counters see every forwarded request
            outcome.done(499, System.nanoTime() - start, UpstreamFailure.CLIENT_CLOSED);
            return;
        }
        resp.setStatusCode(cresp.statusCode());
        String message = cresp.statusMessage();
        if (message != null && !message.equals(resp.getStatusMessage())) {
            // only a reason phrase other than the standard one: setting any makes Vert.x build a new
            // status object (and encode its line) for every response
            resp.setStatusMessage(message);
        }
        CharSequence announced = HeaderHygiene.copyResponseHeaders(cresp.headers(), resp.headers());
        resp.headers().set("X-Request-Id", requestId);
        int status = cresp.statusCode();
        boolean sized = resp.headers().contains(HttpHeaders.CONTENT_LENGTH);
        if (!sized) {
            resp.setChunked(true); // as HttpServerResponse.send(stream) would; ignored on HTTP/2
        }
        // trailers go where the client's response can carry them: HTTP/2, or an HTTP/1.1 chunked body
        // (every HTTP/1.1 recipient parses a trailer section, RFC 9112 section 7.1); HTTP/1.0 cannot.
        // A sized upstream answer has none to give (HTTP/1.1 sends trailers only after a chunked
        // body), so its Trailer header would announce what never follows: dropped, on HTTP/2 too
        boolean trailersFit = !sized && clientVersion != HttpVersion.HTTP_1_0;
        if (announced != null && trailersFit) {
            String kept = TrailerHygiene.announced(announced, HeaderHygiene.connectionNamed(cresp.headers()), hygiene);
            if (kept != null) {
                resp.headers().set("Trailer", kept);
            }
        }
        boolean[] revoked = {false};
        Runnable ended = outcome.responseStarted(() -> {
            revoked[0] = true;
            cresp.request().reset();
            resp.reset();
        });
        // an upstream that breaks off must not look like a complete answer: no normal end on failure,
        // reset the client's response instead (HTTP/1: the connection closes; HTTP/2: RST_STREAM)
        ResponseRelay.relay(cresp, resp, trailersFit ? hygiene : null, sent -> {
            ended.run();
            long took = System.nanoTime() - start;
            if (revoked[0]) {
                outcome.done(status, took, UpstreamFailure.REVOKED);
            } else if (sent.succeeded()) {
                outcome.done(status, took, null);
            } else if (resp.closed()) {
                outcome.done(499, took, UpstreamFailure.CLIENT_CLOSED);
            } else {
                resp.reset();
                outcome.done(status, took, UpstreamFailure.BROKEN);
            }
        });
    }

    private static boolean isChunked(HttpServerRequest req) {
        String te = req.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return te != null && te.toLowerCase().contains("chunked");
    }

    static int statusFor(Throwable t) {
        return isTimeout(t) ? 504 : 502;
    }

    static UpstreamFailure failureFor(Throwable t) {
        return isTimeout(t) ? UpstreamFailure.TIMEOUT : UpstreamFailure.UNAVAILABLE;
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("TimeoutException")
                    && !c.getClass().getSimpleName().contains("Connect")) {
                return true;
            }
        }
        return false;
    }
}
