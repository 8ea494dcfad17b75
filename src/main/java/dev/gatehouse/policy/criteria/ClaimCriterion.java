package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimLookup;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.Truth;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

import java.util.List;
import java.util.Map;

/**
 * {@code claim/<dotted.path>}: a matcher on the value at that path of the verified claims
 * (objects walked by segment). Strings and lists of strings use the string keys; {@code is} also
 * takes a boolean or number and compares type-strictly; numbers take {@code gte}/{@code lte}.
 * Unknown ({@code claim-unknown}): a missing path, an object value, a value (or every list element
 * left undecided) of a type the key does not compare ({@code is: true} against the string "true"),
 * and a list the IdP marks incomplete in {@code _claim_names} where its values do not decide.
 */
public final class ClaimCriterion implements Criterion {
    /** The criterion name prefix. */
    public static final String PREFIX = "claim/";

    private final String[] segments;
    private final String dottedPath;
    private final Matcher matcher;

    private ClaimCriterion(String[] segments, String dottedPath, Matcher matcher) {
        this.segments = segments;
        this.dottedPath = dottedPath;
        this.matcher = matcher;
    }

    static Criterion compile(String name, Object value, String path, Problems problems) {
        String[] segments = ClaimLookup.split(name.substring(PREFIX.length()));
        if (segments == null) {
            problems.add(path, "invalid claim path '" + name.substring(PREFIX.length())
                    + "' (expected claim/<name> or claim/<dotted.path>)");
        }
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.EXACT, true);
        return m == null || segments == null ? null : new ClaimCriterion(segments, name.substring(PREFIX.length()), m);
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        Map<String, Object> claims = request.identity().claims();
        Object value = ClaimLookup.lookup(claims, segments);
        Truth result;
        if (ClaimLookup.markedIncomplete(claims, segments, dottedPath)) {
            // the IdP says the value lives (at least partly) elsewhere: only what is listed counts
            result = value instanceof List<?> list ? matcher.matchList(list, false) : Truth.UNKNOWN;
        } else {
            result = matcher.match(value);
        }
        return result.pick(Reason.CLAIM_OK, Reason.CLAIM_UNAUTHORIZED, Reason.CLAIM_UNKNOWN);
    }

    @Override
    public Reason okReason() {
        return Reason.CLAIM_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.CLAIM_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        Map<String, Object> claims = request.identity().claims();
        Object value = ClaimLookup.lookup(claims, segments);
        boolean incomplete = ClaimLookup.markedIncomplete(claims, segments, dottedPath);
        if (value == null) {
            return "no claim '" + dottedPath + "'" + (incomplete ? " (the IdP lists it as held elsewhere)" : "");
        }
        if (incomplete) {
            return value instanceof List<?> list ? "claim '" + dottedPath + "' " + list + " (incomplete) "
                    + matcher.explainList(list, false) : "claim '" + dottedPath + "' is held elsewhere (incomplete)";
        }
        return "claim '" + dottedPath + "' = " + value + " " + matcher.explain(value);
    }
}
