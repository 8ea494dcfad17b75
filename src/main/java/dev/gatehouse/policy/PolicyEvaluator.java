package dev.gatehouse.policy;

/**
 * Evaluates a compiled policy against a request. Pure, synchronous, thread-safe.
 *
 * <p>Rules are three-valued ({@link Truth}). Access needs the allow block TRUE and the deny block
 * FALSE: a fact the request does not establish (UNKNOWN) never grants, and an unknown deny blocks,
 * since the fact it is missing might be the one it denies on.
 *
 * <p>Order: the deny block first; unless it is FALSE the reasons are the deny block's followed by
 * the allow block's (so a denied user also learns what else is missing). Otherwise the allow
 * block decides; without one the outcome is DENY with {@code no-allow-rule}. Any outcome other
 * than ALLOW becomes UNAUTHENTICATED when the request carries no identity: signing in is the first
 * thing to try. Reasons are free of duplicates, the deciding one first (for a block that is
 * UNKNOWN, the unknown reason naming the missing fact); {@link Decision#rule()} is the path of the
 * leaf that gave the first reason, or {@code allow} when allowed.
 */
public final class PolicyEvaluator {
    /** The rule of every ALLOW decision, and of a DENY for want of an allow rule. */
    public static final String ALLOW_RULE = "allow";

    private PolicyEvaluator() {
    }

    /**
     * @param policy  the policy; null is treated as {@link CompiledPolicy#DENY_ALL}
     * @param request the facts; time-based criteria are unknown when {@link AccessRequest#time()} is null
     */
    public static Decision evaluate(CompiledPolicy policy, AccessRequest request) {
        if (policy == null) {
            policy = CompiledPolicy.DENY_ALL;
        }
        ReasonSink sink = new ReasonSink();
        Truth deny = policy.deny() == null ? Truth.FALSE : policy.deny().evaluate(request, sink);
        if (deny == Truth.FALSE) {
            // a deny block that surely did not hold explains nothing about the outcome
            sink.clear();
        }
        Truth allow;
        if (policy.allow() == null) {
            sink.add(Reason.NO_ALLOW_RULE, ALLOW_RULE);
            allow = Truth.FALSE;
        } else {
            allow = policy.allow().evaluate(request, sink);
        }
        sink.dedupe();
        Outcome outcome;
        if (deny == Truth.FALSE && allow == Truth.TRUE) {
            outcome = Outcome.ALLOW;
        } else {
            outcome = request.identity() == null ? Outcome.UNAUTHENTICATED : Outcome.DENY;
        }
        String rule = outcome == Outcome.ALLOW ? ALLOW_RULE : sink.rule(0);
        return policy.decision(outcome, rule, sink);
    }

    /**
     * The per-criterion trace of {@code policy} for {@code request}: what {@link #evaluate} decides,
     * explained node by node. Allocates a tree; never called on the request path.
     *
     * @param policy  the policy; null is treated as {@link CompiledPolicy#DENY_ALL}
     */
    public static PolicyTrace trace(CompiledPolicy policy, AccessRequest request) {
        if (policy == null) {
            policy = CompiledPolicy.DENY_ALL;
        }
        TraceNode deny = policy.deny() == null ? null : policy.deny().trace(request);
        TraceNode allow = policy.allow() == null
                ? new TraceNode(ALLOW_RULE, ALLOW_RULE, Truth.FALSE, Reason.NO_ALLOW_RULE,
                        "no allow rule: this policy allows nobody", java.util.List.of())
                : policy.allow().trace(request);
        return new PolicyTrace(deny, allow);
    }
}
