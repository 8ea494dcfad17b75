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
        CLIENT_CLOSED
    }
}
