package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code http_path}: a string matcher on the normalised request path (the one forwarded).
 *
 * <p>Letter case: "allow exact, deny case-insensitive". Many upstreams route paths
 * case-insensitively (Express by default, ASP.NET, IIS), so a rule that denies {@code /admin} must
 * also catch {@code /ADMIN}, while a rule that grants {@code /public} should not be stretched to
 * {@code /PUBLIC}. So each key compares case-insensitively (both sides lower-cased) exactly where a
 * match pushes towards denial, and exactly elsewhere:
 * <ul>
 *   <li>in an allow context, {@code is}, {@code in}, {@code starts_with}, ... compare exactly and
 *       {@code not_in} (whose match is what fails it) case-insensitively;</li>
 *   <li>in a negative context (the deny block, or under an odd number of {@code not}/{@code nor})
 *       the reverse.</li>
 * </ul>
 * The polarity is fixed at compile time; evaluation only folds the request path, which allocates
 * only when the path has upper-case letters.
 */
public final class HttpPathCriterion implements Criterion {
    private final Matcher matcher;

    private HttpPathCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems, boolean negative) {
        Folding denying = Folding.LOWER;
        Folding granting = Folding.EXACT;
        Matcher m = negative
                ? MatcherCompiler.compile(value, path, problems, denying, granting, false)
                : MatcherCompiler.compile(value, path, problems, granting, denying, false);
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

    @Override
    public String explain(AccessRequest request, Reason result) {
        return "path " + request.path() + " " + matcher.explain(request.path());
    }
}
