package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code http_path}: a string matcher on the normalised request path (the one forwarded), compared exactly.
 */
public final class HttpPathCriterion implements Criterion {
    private final Matcher matcher;

    private HttpPathCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, false);
        return m == null ? null : new HttpPathCriterion(m);
    }

    @Override
    public boolean needsIdentity() {
        return false;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        return matcher.matches(request.path()) ? Reason.HTTP_PATH_OK : Reason.HTTP_PATH_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.HTTP_PATH_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.HTTP_PATH_UNAUTHORIZED;
    }
}
