package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code http_method}: a string matcher on the request method, compared upper-cased ({@code get} matches GET).
 */
public final class HttpMethodCriterion implements Criterion {
    private final Matcher matcher;

    private HttpMethodCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.UPPER, false);
        return m == null ? null : new HttpMethodCriterion(m);
    }

    @Override
    public boolean needsIdentity() {
        return false;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        return matcher.matches(request.method()) ? Reason.HTTP_METHOD_OK : Reason.HTTP_METHOD_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.HTTP_METHOD_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.HTTP_METHOD_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        return "method " + request.method() + " " + matcher.explain(request.method());
    }
}
