package dev.gatehouse.policy;

import java.util.List;

/**
 * One node of a decision trace: an operator or a criterion of the policy, where it sits in the
 * document, what it came to and why, in plain words. Built only on request
 * ({@link PolicyEvaluator#trace}); the request path never builds one.
 *
 * @param path        the node's YAML path, e.g. {@code allow.and[1].device}, {@code deny.or}
 * @param kind        the operator ({@code and}, {@code or}, {@code not}, {@code nor}) or criterion name
 *                    ({@code groups}, {@code claim/org.unit}); {@code allow} for a missing allow block
 * @param outcome     TRUE, FALSE or UNKNOWN: whether the criterion holds (or the operator's value),
 *                    whatever the block; for a criterion in the deny block TRUE is what denies
 * @param reason      the reason code this node gives in the decision (its polarity applied: a
 *                    holding deny criterion says {@code ...-unauthorized}); null for operators
 * @param explanation what was compared and how it came out, e.g. "groups [sales] do not include engineering"
 * @param children    an operator's operands in document order; empty for a criterion
 */
public record TraceNode(String path, String kind, Truth outcome, Reason reason, String explanation,
                        List<TraceNode> children) {
    public TraceNode {
        children = List.copyOf(children);
    }
}
