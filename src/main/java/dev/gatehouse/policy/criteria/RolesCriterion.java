package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimList;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code roles}: a list matcher on the caller's roles (from the IdP's roles claim path), compared
 * exactly. Roles the token does not establish (claim missing, malformed or incomplete) are unknown
 * ({@code roles-unknown}) wherever the listed roles do not decide.
 */
public final class RolesCriterion implements Criterion {
    private final Matcher matcher;

    private RolesCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, false);
        return m == null ? null : new RolesCriterion(m);
    }

    @Override
    public java.util.Set<String> claimSettings() {
        return java.util.Set.of("roles");
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        ClaimList roles = request.identity().rolesClaim();
        return matcher.matchList(roles.values(), roles.complete())
                .pick(Reason.ROLES_OK, Reason.ROLES_UNAUTHORIZED, Reason.ROLES_UNKNOWN);
    }

    @Override
    public Reason okReason() {
        return Reason.ROLES_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.ROLES_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        ClaimList roles = request.identity().rolesClaim();
        if (!roles.complete() && roles.values().isEmpty()) {
            return "no usable roles claim (missing, malformed or marked incomplete)";
        }
        return "roles " + Values.list(roles.values(), roles.complete()) + " "
                + matcher.explainList(roles.values(), roles.complete());
    }
}
