package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

/**
 * {@code accept: true}: always holds, for anonymous requests too (a public app). In the deny block
 * it therefore denies everything, reported as {@code reject}.
 */
public final class AcceptCriterion implements Criterion {
    static final AcceptCriterion INSTANCE = new AcceptCriterion();

    private AcceptCriterion() {
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
        return Reason.ACCEPT;
    }

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
        return "accept: every request matches";
    }
}
