package dev.gatehouse.policy;

import java.util.List;

/**
 * The result of evaluating a policy.
 *
 * @param outcome       allow, deny or unauthenticated
 * @param reasons       ordered reasons; the first is the deciding one
 * @param rule          path of the rule that decided, e.g. {@code deny.or[0].source_ip} or
 *                      {@code allow.and[1].device}; {@code allow} when allowed
 * @param policyVersion version of the policy that was evaluated
 */
public record Decision(Outcome outcome, List<Reason> reasons, String rule, long policyVersion) {

    public Decision {
        reasons = List.copyOf(reasons);
    }

    /** The deciding reason. */
    public Reason primaryReason() {
        return reasons.isEmpty() ? Reason.NO_ALLOW_RULE : reasons.get(0);
    }

    /**
     * {@link #rule()} when the policy evaluated that rule; null when the deciding reason is
     * {@code user-unauthenticated}: the leaf needs a signed-in caller and the request had none, so
     * the evaluator never looked at it (its path only says where the policy first needed a caller).
     * What a record of the decision names as the rule that decided.
     */
    public String evaluatedRule() {
        return primaryReason() == Reason.USER_UNAUTHENTICATED ? null : rule;
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
