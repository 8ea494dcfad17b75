package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimLookup;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code claim/<dotted.path>}: a matcher on the value at that path of the verified claims
 * (objects walked by segment). Strings and lists of strings use the string keys; {@code is} also
 * takes a boolean or number and compares type-strictly ({@code is: true} does not match the string
 * "true"); numbers take {@code gte}/{@code lte}. A missing path fails every key.
 */
public final class ClaimCriterion implements Criterion {
    /** The criterion name prefix. */
    public static final String PREFIX = "claim/";

    private final String[] segments;
    private final Matcher matcher;

    private ClaimCriterion(String[] segments, Matcher matcher) {
        this.segments = segments;
        this.matcher = matcher;
    }

    static Criterion compile(String name, Object value, String path, Problems problems) {
        String[] segments = ClaimLookup.split(name.substring(PREFIX.length()));
        if (segments == null) {
            problems.add(path, "invalid claim path '" + name.substring(PREFIX.length())
                    + "' (expected claim/<name> or claim/<dotted.path>)");
        }
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, true);
        return m == null || segments == null ? null : new ClaimCriterion(segments, m);
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        Object value = ClaimLookup.lookup(request.identity().claims(), segments);
        return matcher.matchesValue(value) ? Reason.CLAIM_OK : Reason.CLAIM_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.CLAIM_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.CLAIM_UNAUTHORIZED;
    }
}
