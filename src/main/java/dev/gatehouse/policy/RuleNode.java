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
}
