package dev.gatehouse.policy;

/**
 * {@code and}, {@code or}, {@code not} (none true) and {@code nor} (not all true), short-circuiting.
 * Reasons: the child that decided keeps its reasons and the others' are dropped; when every child
 * was needed (an {@code and} that holds, an {@code or} that fails) all children's reasons are kept
 * in document order.
 */
final class OperatorNode extends RuleNode {
    /** The four operators of the language. */
    enum Op { AND, OR, NOT, NOR }

    private final Op op;
    private final RuleNode[] children;

    OperatorNode(Op op, RuleNode[] children) {
        this.op = op;
        this.children = children;
    }

    @Override
    boolean evaluate(AccessRequest request, ReasonSink sink) {
        int start = sink.size();
        // AND and NOR stop at the first false child, OR and NOT at the first true one
        boolean stopOn = op == Op.OR || op == Op.NOT;
        for (RuleNode child : children) {
            int mark = sink.size();
            if (child.evaluate(request, sink) == stopOn) {
                sink.keepFrom(start, mark);
                // stopped: AND false, NOR true, OR true, NOT false
                return op == Op.OR || op == Op.NOR;
            }
        }
        // ran through: AND true, NOR false, OR false, NOT true
        return op == Op.AND || op == Op.NOT;
    }
}
