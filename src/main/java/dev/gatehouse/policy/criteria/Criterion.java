package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Reason;

/**
 * A compiled leaf of a policy rule, e.g. {@code groups: {has: engineering}}. Immutable and
 * thread-safe; {@link #evaluate} must not allocate in the common case.
 */
public interface Criterion {

    /**
     * Whether this criterion reads {@link AccessRequest#identity()}. The evaluator never calls
     * {@link #evaluate} for such a criterion when the request is anonymous: the leaf is then
     * UNKNOWN with {@link Reason#USER_UNAUTHENTICATED}.
     */
    boolean needsIdentity();

    /**
     * The settings of an IdP's {@code claims:} section ({@code groups}, {@code roles},
     * {@code device-compliant}, {@code email}, ...) whose claims this criterion reads; empty for one
     * that reads none of them (paths, methods, times, addresses, or fixed claims such as {@code amr}).
     * For checks of what an IdP's tokens must carry ({@code gatehouse doctor}); never on the request path.
     */
    default java.util.Set<String> claimSettings() {
        return java.util.Set.of();
    }

    /**
     * Evaluates the criterion, three-valued, through the reason it returns:
     * {@link #okReason()} when it holds (TRUE); an unknown reason ({@link Reason#unknown()}, e.g.
     * {@code groups-unknown}, {@code device-unauthenticated}) naming the fact the request does not
     * establish (UNKNOWN); otherwise the specific failure reason (FALSE, e.g.
     * {@code device-unauthorized} or {@code device-posture-stale}).
     */
    Reason evaluate(AccessRequest request);

    /** The reason reported when the criterion holds in an allow context. */
    Reason okReason();

    /**
     * The reason reported when the criterion holds and thereby causes a denial (in the deny block,
     * or under an odd number of {@code not}/{@code nor}): its "unauthorized" code.
     */
    Reason deniedReason();

    /**
     * What was compared and how it came out, in plain words, for a trace ("groups [sales] do not
     * include engineering"); {@code result} is what {@link #evaluate} returned for {@code request}.
     * Called only when a trace is asked for, never on the request path, so it may allocate.
     */
    default String explain(AccessRequest request, Reason result) {
        return result.explanation();
    }
}
