package dev.gatehouse.access;

import dev.gatehouse.policy.ReasonCode;

/**
 * Why a request was answered without (or after) a policy decision: routing, malformed input,
 * credentials that fail verification, rate limits, and what happens on the way to the upstream and
 * back. Kept apart from {@link dev.gatehouse.policy.Reason}, which carries only what a policy
 * decides. Each code knows the {@link Verdict} it stands for. A bounded set: safe as a metric label.
 */
public enum RequestReason implements ReasonCode {
    ROUTE_NOT_FOUND("route-not-found", Verdict.NOT_FOUND, "No app is configured at this address.", "Check the address."),
    INVALID_REQUEST("invalid-request", Verdict.BAD_REQUEST, "The request is malformed.", ""),
    BODY_TOO_LARGE("body-too-large", Verdict.BAD_REQUEST, "The request body is larger than this app accepts.", "Send a smaller request."),
    INVALID_TOKEN("invalid-token", Verdict.UNAUTHENTICATED, "Your credentials could not be verified.", "Sign in again."),
    RATE_LIMITED("rate-limited", Verdict.RATE_LIMITED, "Too many requests in a short time.", "Wait a moment and try again."),
    UPSTREAM_UNAVAILABLE("upstream-unavailable", Verdict.UPSTREAM_ERROR, "The app is not reachable right now.", "Try again later."),
    UPSTREAM_TIMEOUT("upstream-timeout", Verdict.UPSTREAM_ERROR, "The app took too long to answer.", "Try again later."),
    UPSTREAM_BROKEN("upstream-broken", Verdict.UPSTREAM_ERROR, "The app's answer broke off midway.", "Try again."),
    ACCESS_REVOKED("access-revoked", Verdict.DENY, "Access was withdrawn while the connection was open: the policy changed or the sign-in expired.",
            "Reload the page; sign in again if asked."),
    SIGN_IN_FAILED("sign-in-failed", Verdict.UNAUTHENTICATED, "Signing in did not complete: the sign-in link has expired, was used already or was started in another browser.",
            "Go back to the app and sign in again."),
    IDP_UNAVAILABLE("idp-unavailable", Verdict.UPSTREAM_ERROR, "The sign-in service is not reachable right now.",
            "Try again in a minute."),
    SESSIONS_UNAVAILABLE("sessions-unavailable", Verdict.UPSTREAM_ERROR,
            "Signing in is not possible right now: Gatehouse cannot reach the store where sign-ins are kept.",
            "Try again in a few minutes; if it lasts, tell your IT team."),
    CLIENT_CLOSED("client-closed", Verdict.CLIENT_CLOSED, "The client went away before the answer was complete.", ""),
    INTERNAL_ERROR("internal-error", Verdict.INTERNAL_ERROR, "Gatehouse failed to handle the request.",
            "Try again; if it persists, quote the request id to your administrator.");

    private final String code;
    private final Verdict verdict;
    private final String explanation;
    private final String remedy;

    RequestReason(String code, Verdict verdict, String explanation, String remedy) {
        this.code = code;
        this.verdict = verdict;
        this.explanation = explanation;
        this.remedy = remedy;
    }

    @Override
    public String code() {
        return code;
    }

    /** What this reason counts as in {@code gatehouse_requests_total{decision}}. */
    public Verdict verdict() {
        return verdict;
    }

    @Override
    public String explanation() {
        return explanation;
    }

    @Override
    public String remedy() {
        return remedy;
    }

    @Override
    public String toString() {
        return code;
    }
}
