package dev.gatehouse.access;

import dev.gatehouse.policy.Decision;

/**
 * How a request ended, as {@code gatehouse_requests_total{decision}} and the decision log name it.
 * Derived from what happened (a policy decision or a {@link RequestReason}), never from the status
 * code: a 400 and a 404 are different things to an operator.
 */
public enum Verdict {
    /** The policy allowed the request and the upstream answered. */
    ALLOW("allow"),
    /** The policy denied a known caller (403). */
    DENY("deny"),
    /** No credentials, or credentials that could not be verified (401). */
    UNAUTHENTICATED("unauthenticated"),
    /** No app at this host and path, or an unknown reserved path (404). */
    NOT_FOUND("not_found"),
    /** Malformed or ambiguous HTTP, a hostile path, a body over the app's limit (400, 413). */
    BAD_REQUEST("bad_request"),
    /** A rate limit answered (429). */
    RATE_LIMITED("rate_limited"),
    /** Allowed, but the upstream was unreachable, too slow or broke off (502, 504, reset). */
    UPSTREAM_ERROR("upstream_error"),
    /** The client went away before the answer was complete (recorded as 499). */
    CLIENT_CLOSED("client_closed"),
    /** Gatehouse itself failed (500): a bug. */
    INTERNAL_ERROR("internal_error");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The metric label value and decision-log field. */
    public String label() {
        return label;
    }

    /** The verdict a policy decision gives on its own. */
    public static Verdict of(Decision decision) {
        return switch (decision.outcome()) {
            case ALLOW -> ALLOW;
            case DENY -> DENY;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
