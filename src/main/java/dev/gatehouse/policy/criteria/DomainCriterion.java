package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

/**
 * {@code domain}: a string matcher on the part of the email after its last {@code @}, compared
 * case-insensitively. An unverified email is unknown ({@code email-unverified}, as for
 * {@code email}); no email, or one without {@code @} or with nothing after it, is unknown
 * ({@code domain-unknown}).
 */
public final class DomainCriterion implements Criterion {
    private final Matcher matcher;

    private DomainCriterion(Matcher matcher) {
        this.matcher = matcher;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Matcher m = MatcherCompiler.compile(value, path, problems, Folding.LOWER, false);
        return m == null ? null : new DomainCriterion(m);
    }

    /** The domain of an email, or null when there is none. */
    static String domainOf(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return at < 0 || at == email.length() - 1 ? null : email.substring(at + 1);
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
        if (identity.email() == null && identity.emailUnverified()) {
            return Reason.EMAIL_UNVERIFIED;
        }
        String domain = domainOf(identity.email());
        if (domain == null) {
            return Reason.DOMAIN_UNKNOWN;
        }
        return matcher.matches(domain) ? Reason.DOMAIN_OK : Reason.DOMAIN_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.DOMAIN_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.DOMAIN_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        Identity identity = request.identity();
        if (identity.email() == null && identity.emailUnverified()) {
            return "the email is not verified by the IdP (email_verified is not true)";
        }
        String domain = domainOf(identity.email());
        return domain == null ? "no email with a domain" : "email domain '" + domain + "' " + matcher.explain(domain);
    }
}
