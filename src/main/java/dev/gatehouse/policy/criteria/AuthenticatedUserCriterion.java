package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

/**
 * {@code authenticated_user: true}: holds for any verified caller. For anonymous requests the
 * evaluator makes the leaf unknown ({@code user-unauthenticated}) before this class is consulted,
 * like every identity criterion.
 */
public final class AuthenticatedUserCriterion implements Criterion {
    static final AuthenticatedUserCriterion INSTANCE = new AuthenticatedUserCriterion();

    private AuthenticatedUserCriterion() {
    }

    static Criterion compile(Object value, String path, Problems problems) {
        return Values.requireTrue(value, path, problems) ? INSTANCE : null;
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        return Reason.AUTHENTICATED_USER_OK;
    }

    @Override
    public Reason okReason() {
        return Reason.AUTHENTICATED_USER_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.USER_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        return "signed in" + (request.identity().subject() == null ? "" : " as '" + request.identity().subject() + "'");
    }
}
