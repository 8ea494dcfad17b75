package dev.gatehouse.policy;

/**
 * A node of a compiled rule tree: an operator or a leaf criterion. Immutable and thread-safe; the
 * per-evaluation state lives in the {@link ReasonSink} passed in.
 */
abstract class RuleNode {

    /**
     * Evaluates the node, leaving in {@code sink} (after whatever it held before) the reasons that
     * explain the result, the deciding one first. An UNKNOWN result's first reason is an unknown
     * reason ({@link Reason#unknown()}) naming the fact that is missing.
     */
    abstract Truth evaluate(AccessRequest request, ReasonSink sink);

    /**
     * Adds to {@code out} the IdP claim settings the criteria at and below this node read
     * ({@link dev.gatehouse.policy.criteria.Criterion#claimSettings()}). Operators and leaves
     * override it; a node without criteria reads none.
     */
    void claimSettings(java.util.Set<String> out) {
    }

    /**
     * Evaluates the node and every operand below it (no short-circuit), building the trace tree.
     * Off the request path: only what-if and explain calls pay for it. Operators and leaves
     * override it; this fallback reports the node's value and first reason without detail.
     */
    TraceNode trace(AccessRequest request) {
        ReasonSink sink = new ReasonSink();
        Truth t = evaluate(request, sink);
        Reason first = sink.size() > 0 ? sink.reason(0) : null;
        return new TraceNode(sink.size() > 0 ? sink.rule(0) : "", "rule", t, first,
                first == null ? t.name().toLowerCase(java.util.Locale.ROOT) : first.explanation(), java.util.List.of());
    }
}
