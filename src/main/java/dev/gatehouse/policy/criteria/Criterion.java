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
     * {@link #evaluate} for such a criterion when the request is anonymous: the leaf is then false
     * with {@link Reason#USER_UNAUTHENTICATED}.
     */
    boolean needsIdentity();

    /**
     * Evaluates the criterion.
     *
     * @return {@link #okReason()} when the criterion holds, otherwise the specific failure reason
     *         (e.g. {@code device-unauthenticated}, {@code device-unauthorized} or {@code device-posture-stale})
     */
    Reason evaluate(AccessRequest request);

    /** The reason reported when the criterion holds in an allow context. */
    Reason okReason();

    /**
     * The reason reported when the criterion holds and thereby causes a denial (in the deny block,
     * or under an odd number of {@code not}/{@code nor}): its "unauthorized" code.
     */
    Reason deniedReason();
}
