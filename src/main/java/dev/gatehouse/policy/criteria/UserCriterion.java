package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code user}: a string matcher on the {@code sub} claim, compared exactly. A missing or
 * non-string sub is unknown ({@code user-unknown}; the proxy already refuses such tokens).
 */
public final class UserCriterion implements Criterion {
    private final Matcher matcher;

    private UserCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, false);
        return m == null ? null : new UserCriterion(m);
    }

    @Override
    public java.util.Set<String> claimSettings() {
        return java.util.Set.of("subject");
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        String subject = request.identity().subject();
        if (subject == null) {
            return Reason.USER_UNKNOWN;
        }
        return matcher.matches(subject) ? Reason.USER_OK : Reason.USER_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.USER_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.USER_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        String subject = request.identity().subject();
        return subject == null ? "no sub claim" : "user '" + subject + "' " + matcher.explain(subject);
    }
}
