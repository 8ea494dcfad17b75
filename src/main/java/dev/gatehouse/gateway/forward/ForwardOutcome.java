package dev.gatehouse.gateway.forward;

/** Told once per forwarded request, when the exchange with the upstream is over. */
@FunctionalInterface
public interface ForwardOutcome {
    /**
     * @param status        status the client got (the upstream's, or 502/504 from Gatehouse)
     * @param upstreamNanos time from sending upstream to the end of the response, 0 when no answer came
     * @param failure       why Gatehouse answered itself or cut the exchange, null when the upstream answered
     */
    void done(int status, long upstreamNanos, UpstreamFailure failure);

    /**
     * The upstream's response head went out and its body is streaming: told once, so a long-lived
     * response (server-sent events, a large download, an HTTP/2 stream) can be re-checked while it
     * lives.
     *
     * @param revoke cuts the exchange (client response and upstream request reset); the exchange then
     *               ends with {@link UpstreamFailure#REVOKED}
     * @return what to run when the response ends, however it ends
     */
    default Runnable responseStarted(Runnable revoke) {
        return () -> { };
    }

    /** Why an exchange with an upstream failed. */
    enum UpstreamFailure {
        /** No connection could be made, or it broke before a response: 502. */
        UNAVAILABLE,
        /** The upstream did not answer within the app's timeout: 504. */
        TIMEOUT,
        /** The exchange broke after the response started: the client connection is reset. */
        BROKEN,
        /** The request body was larger than the app allows: 413. */
        TOO_LARGE,
        /** The client went away before the exchange ended; nobody is left to answer (logged as 499). */
        CLIENT_CLOSED,
        /** A re-check withdrew access while the response streamed: it was reset. */
        REVOKED
    }
}
