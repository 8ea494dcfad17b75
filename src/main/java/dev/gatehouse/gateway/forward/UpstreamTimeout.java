package dev.gatehouse.gateway.forward;

import dev.gatehouse.gateway.vertx.VertxInternals;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.http.HttpClientRequest;

/**
 * The app's upstream timeout on one forwarded request: the upstream's response head must arrive
 * within it, else the upstream request is reset with a {@link java.util.concurrent.TimeoutException}
 * as its failure, which the forwarder answers 504 {@code upstream-timeout}. This is what Vert.x's
 * request idle timeout ({@code RequestOptions.setIdleTimeout}) did: armed when the request is
 * created, disarmed by the response head (or any failure), measured from the request's creation; it
 * is kept by the event loop's {@link LoopDeadlines} instead of a Vert.x timer per request.
 *
 * <p>A request created off an event loop (a worker context) falls back to Vert.x's own timer:
 * {@link LoopDeadlines} must be used on its loop's thread only.
 */
final class UpstreamTimeout extends LoopDeadlines.Deadline {
    private static final FastThreadLocal<LoopDeadlines> LOOPS = new FastThreadLocal<>();

    private final HttpClientRequest request;
    private final long millis;

    private UpstreamTimeout(HttpClientRequest request, long millis) {
        this.request = request;
        this.millis = millis;
    }

    /**
     * Starts the countdown of {@code request}, just created, on the current thread.
     *
     * @return the countdown to {@link #cancel()} once the response head (or a failure) arrived; null
     *         when there is none to cancel (no timeout, or Vert.x's timer took it)
     */
    static UpstreamTimeout start(HttpClientRequest request, long millis) {
        if (millis <= 0) {
            return null; // as Vert.x: no timeout
        }
        LoopDeadlines loop = LOOPS.getIfExists();
        if (loop == null) {
            EventLoop current = VertxInternals.currentEventLoop();
            if (current == null) {
                request.idleTimeout(millis);
                return null;
            }
            loop = new LoopDeadlines(current, System::nanoTime);
            LOOPS.set(loop);
        }
        UpstreamTimeout t = new UpstreamTimeout(request, millis);
        loop.add(t, millis);
        return t;
    }

    @Override
    void expire() {
        // the same failure Vert.x's timer gave (its message included); the forwarder finds the
        // TimeoutException among the causes: 504. On HTTP/1 the reset closes the upstream connection.
        request.reset(0, VertxInternals.timeout("The timeout period of " + millis
                + "ms has been exceeded while executing " + request.getMethod() + " " + request.getURI()
                + " for server " + request.connection().remoteAddress()));
    }
}
