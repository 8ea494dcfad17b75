package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

/**
 * {@code reject: true}: never holds (the boolean constant false, as in Pomerium). In the allow
 * block it rejects everything with reason {@code reject}; note that {@code deny: {reject: true}}
 * consequently never denies: write {@code deny: {accept: true}} to deny everything.
 */
public final class RejectCriterion implements Criterion {
    static final RejectCriterion INSTANCE = new RejectCriterion();

    private RejectCriterion() {
    }

    static Criterion compile(Object value, String path, Problems problems) {
        return Values.requireTrue(value, path, problems) ? INSTANCE : null;
    }

    @Override
    public boolean needsIdentity() {
        return false;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        return Reason.REJECT;
    }

    /** Never returned by {@link #evaluate}; reported when a negation turns the false into a pass. */
    @Override
    public Reason okReason() {
        return Reason.ACCEPT;
    }

    @Override
    public Reason deniedReason() {
        return Reason.REJECT;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        return "reject: no request matches";
    }
}
