package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimList;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code groups}: a list matcher on the caller's groups (from the IdP's groups claim path), compared
 * exactly. Groups the token does not establish (claim missing, malformed, or incomplete as in Entra
 * ID's group overage) are unknown ({@code groups-unknown}) wherever the listed groups do not decide.
 */
public final class GroupsCriterion implements Criterion {
    private final Matcher matcher;

    private GroupsCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, false);
        return m == null ? null : new GroupsCriterion(m);
    }

    @Override
    public java.util.Set<String> claimSettings() {
        return java.util.Set.of("groups");
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        ClaimList groups = request.identity().groupsClaim();
        return matcher.matchList(groups.values(), groups.complete())
                .pick(Reason.GROUPS_OK, Reason.GROUPS_UNAUTHORIZED, Reason.GROUPS_UNKNOWN);
    }

    @Override
    public Reason okReason() {
        return Reason.GROUPS_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.GROUPS_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        ClaimList groups = request.identity().groupsClaim();
        if (!groups.complete() && groups.values().isEmpty()) {
            return "no usable groups claim (missing, malformed or marked incomplete)";
        }
        return "groups " + Values.list(groups.values(), groups.complete()) + " "
                + matcher.explainList(groups.values(), groups.complete());
    }
}
