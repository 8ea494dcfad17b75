package dev.gatehouse.policy;

import dev.gatehouse.policy.criteria.Criterion;

/**
 * A criterion at a path of the document, with its polarity fixed at compile time: in a negative
 * context (the deny block, or under an odd number of {@code not}/{@code nor}) holding is what
 * pushes towards denial, so a holding leaf reports its "unauthorized" code and a failing one its
 * "ok" code.
 */
final class LeafNode extends RuleNode {
    private final Criterion criterion;
    private final String path;
    private final boolean negative;
    private final boolean needsIdentity;
    private final Reason ok;
    private final Reason denied;

    LeafNode(Criterion criterion, String path, boolean negative) {
        this.criterion = criterion;
        this.path = path;
        this.negative = negative;
        this.needsIdentity = criterion.needsIdentity();
        this.ok = criterion.okReason();
        this.denied = criterion.deniedReason();
    }

    @Override
    boolean evaluate(AccessRequest request, ReasonSink sink) {
        if (needsIdentity && request.identity() == null) {
            // whatever the polarity: the honest explanation is that we do not know who this is
            sink.add(Reason.USER_UNAUTHENTICATED, path);
            return false;
        }
        Reason result = criterion.evaluate(request);
        boolean holds = result == ok;
        sink.add(negative ? (holds ? denied : ok) : result, path);
        return holds;
    }
}
