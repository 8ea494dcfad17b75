package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code email}: a string matcher on the caller's email, compared case-insensitively. Only an email
 * the IdP vouches for counts ({@link dev.gatehouse.policy.IdentityFactory}); an unverified one is
 * unknown ({@code email-unverified}), and so is a missing one ({@code email-unknown}).
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
    public java.util.Set<String> claimSettings() {
        return java.util.Set.of("email");
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        Identity identity = request.identity();
        if (identity.email() == null) {
            return identity.emailUnverified() ? Reason.EMAIL_UNVERIFIED : Reason.EMAIL_UNKNOWN;
        }
        return matcher.matches(identity.email()) ? Reason.EMAIL_OK : Reason.EMAIL_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.EMAIL_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.EMAIL_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        Identity identity = request.identity();
        if (identity.email() == null) {
            return identity.emailUnverified() ? "the email is not verified by the IdP (email_verified is not true)"
                    : "no email claim";
        }
        return "email '" + identity.email() + "' " + matcher.explain(identity.email());
    }
}
