package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code acr}: a string matcher on the {@code acr} claim (authentication context class), compared
 * exactly. A missing or non-string acr is unknown ({@code acr-unknown}).
 */
public final class AcrCriterion implements Criterion {
    private final Matcher matcher;

    private AcrCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, false);
        return m == null ? null : new AcrCriterion(m);
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        String acr = request.identity().acr();
        if (acr == null) {
            return Reason.ACR_UNKNOWN;
        }
        return matcher.matches(acr) ? Reason.ACR_OK : Reason.ACR_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.ACR_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.ACR_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        String acr = request.identity().acr();
        return acr == null ? "no acr claim" : "acr '" + acr + "' " + matcher.explain(acr);
    }
}
