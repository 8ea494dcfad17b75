package dev.gatehouse.policy;

import dev.gatehouse.policy.criteria.Criterion;

/**
 * A criterion at a path of the document, with its polarity fixed at compile time: in a negative
 * context (the deny block, or under an odd number of {@code not}/{@code nor}) holding is what
 * pushes towards denial, so a holding leaf reports its "unauthorized" code and a failing one its
 * "ok" code. An unknown leaf reports its unknown reason in either polarity: in an allow context it
 * is why access was not granted, in a deny context it is what blocks.
 */
final class LeafNode extends RuleNode {
    private final Criterion criterion;
    private final String name;
    private final String path;
    private final boolean negative;
    private final boolean needsIdentity;
    private final Reason ok;
    private final Reason denied;

    LeafNode(Criterion criterion, String name, String path, boolean negative) {
        this.criterion = criterion;
        this.name = name;
        this.path = path;
        this.negative = negative;
        this.needsIdentity = criterion.needsIdentity();
        this.ok = criterion.okReason();
        this.denied = criterion.deniedReason();
    }

    @Override
    Truth evaluate(AccessRequest request, ReasonSink sink) {
        if (needsIdentity && request.identity() == null) {
            // whatever the polarity: we do not know who this is, so nothing about them is known
            sink.add(Reason.USER_UNAUTHENTICATED, path);
            return Truth.UNKNOWN;
        }
        Reason result = criterion.evaluate(request);
        if (result == ok) {
            sink.add(negative ? denied : ok, path);
            return Truth.TRUE;
        }
        if (result.unknown()) {
            sink.add(result, path);
            return Truth.UNKNOWN;
        }
        sink.add(negative ? ok : result, path);
        return Truth.FALSE;
    }

    @Override
    void claimSettings(java.util.Set<String> out) {
        out.addAll(criterion.claimSettings());
    }

    @Override
    TraceNode trace(AccessRequest request) {
        if (needsIdentity && request.identity() == null) {
            return leaf(Truth.UNKNOWN, Reason.USER_UNAUTHENTICATED, "no signed-in caller");
        }
        Reason result = criterion.evaluate(request);
        String why = criterion.explain(request, result);
        if (result == ok) {
            return leaf(Truth.TRUE, negative ? denied : ok, why);
        }
        if (result.unknown()) {
            return leaf(Truth.UNKNOWN, result, why);
        }
        return leaf(Truth.FALSE, negative ? ok : result, why);
    }

    private TraceNode leaf(Truth outcome, Reason reason, String why) {
        String text = outcome != Truth.UNKNOWN ? why
                : why + (negative ? ": unknown, which blocks where a match would deny" : ": unknown, never grants");
        return new TraceNode(path, name, outcome, reason, text, java.util.List.of());
    }
}
