package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code email}: a string matcher on the {@code email} claim, compared case-insensitively; no email fails.
 */
public final class EmailCriterion implements Criterion {
    private final Matcher matcher;

    private EmailCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.LOWER, false);
        return m == null ? null : new EmailCriterion(m);
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        return matcher.matches(request.identity().email()) ? Reason.EMAIL_OK : Reason.EMAIL_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.EMAIL_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.EMAIL_UNAUTHORIZED;
    }
}
