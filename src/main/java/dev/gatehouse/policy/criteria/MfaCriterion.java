package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimList;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;

import java.util.List;
import java.util.Set;

/**
 * {@code mfa: true}: the {@code amr} claim names a second factor (RFC 8176 values such as
 * {@code mfa}, {@code otp}, {@code hwk}), compared case-insensitively. Without a well-formed amr
 * claim the sign-in method is unknown ({@code mfa-unknown}).
 */
public final class MfaCriterion implements Criterion {
    /** amr values (RFC 8176) that prove more than a password. */
    static final Set<String> SECOND_FACTORS =
            Set.of("mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "retina", "vbm", "mca");
    static final MfaCriterion INSTANCE = new MfaCriterion();

    private MfaCriterion() {
    }

    static Criterion compile(Object value, String path, Problems problems) {
        return Values.requireTrue(value, path, problems) ? INSTANCE : null;
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        ClaimList amr = request.identity().amrClaim();
        List<String> methods = amr.values();
        for (int i = 0, n = methods.size(); i < n; i++) {
            if (SECOND_FACTORS.contains(Folding.LOWER.fold(methods.get(i)))) {
                return Reason.MFA_OK;
            }
        }
        return amr.complete() ? Reason.MFA_REQUIRED : Reason.MFA_UNKNOWN;
    }

    @Override
    public Reason okReason() {
        return Reason.MFA_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.MFA_REQUIRED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        ClaimList amr = request.identity().amrClaim();
        if (result == Reason.MFA_OK) {
            return "amr " + amr.values() + " include a second factor";
        }
        return amr.complete() ? "amr " + amr.values() + " include no second factor (mfa, otp, hwk, ...)"
                : "no usable amr claim";
    }
}
