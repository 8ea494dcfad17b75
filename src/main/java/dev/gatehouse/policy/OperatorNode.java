package dev.gatehouse.policy;

/**
 * {@code and}, {@code or}, {@code not} (none true) and {@code nor} (not all true) in Kleene's
 * three-valued logic, short-circuiting as soon as the result is decided:
 * <ul>
 *   <li>{@code and}: any FALSE child gives FALSE, else any UNKNOWN gives UNKNOWN, else TRUE;</li>
 *   <li>{@code or}: any TRUE gives TRUE, else any UNKNOWN gives UNKNOWN, else FALSE;</li>
 *   <li>{@code not} = and of the negated children, {@code nor} = or of the negated children (so
 *       the negation of an unknown is unknown).</li>
 * </ul>
 *
 * <p>Reasons: a child that decided (stopped the loop) keeps its reasons and the others' are
 * dropped. When every child was needed and none was unknown (an {@code and} that holds, an
 * {@code or} that fails) all children's reasons are kept in document order. When the result is
 * UNKNOWN the unknown children's reasons come first (they decide); the other children's follow
 * only when they too push towards denial in this node's polarity (an {@code or} that is not TRUE
 * in an allow context: each of its false children is also something that would let the caller
 * in), and are dropped when they are mere "ok" reasons.
 */
final class OperatorNode extends RuleNode {
    /** The four operators of the language. */
    enum Op { AND, OR, NOT, NOR }

    private final Op op;
    private final String path;
    private final RuleNode[] children;
    /** The child value that decides the result at once, and that result. */
    private final Truth stopOn;
    private final Truth stopResult;
    /** The result when every child was evaluated and none was unknown. */
    private final Truth runThrough;
    /** Whether, in an unknown result, the reasons of the non-deciding children still explain a denial. */
    private final boolean keepOthers;

    /** A node whose trace path is its operator's name (for nodes built by hand, as in tests). */
    OperatorNode(Op op, RuleNode[] children, boolean negative) {
        this(op, op.name().toLowerCase(java.util.Locale.ROOT), children, negative);
    }

    /**
     * @param path     the operator's YAML path, e.g. {@code allow.and}, for traces
     * @param negative the polarity of this node's position (as for a {@link LeafNode} there): true
     *                 in the deny block or under an odd number of {@code not}/{@code nor}
     */
    OperatorNode(Op op, String path, RuleNode[] children, boolean negative) {
        this.op = op;
        this.path = path;
        this.children = children;
        this.stopOn = op == Op.OR || op == Op.NOT ? Truth.TRUE : Truth.FALSE;
        this.stopResult = op == Op.OR || op == Op.NOR ? Truth.TRUE : Truth.FALSE;
        this.runThrough = stopResult.not();
        // run-through TRUE in a deny context, or FALSE in an allow context, is the side of denial
        this.keepOthers = (runThrough == Truth.TRUE) == negative;
    }

    @Override
    void claimSettings(java.util.Set<String> out) {
        for (RuleNode child : children) {
            child.claimSettings(out);
        }
    }

    @Override
    Truth evaluate(AccessRequest request, ReasonSink sink) {
        int start = sink.size();
        // the unknown children's reasons are gathered in [start, unknownEnd), the others' after them
        int unknownEnd = start;
        boolean unknown = false;
        for (RuleNode child : children) {
            int mark = sink.size();
            Truth t = child.evaluate(request, sink);
            if (t == stopOn) {
                sink.keepFrom(start, mark);
                return stopResult;
            }
            if (t == Truth.UNKNOWN) {
                int n = sink.size() - mark;
                if (!unknown && !keepOthers) {
                    // the ok reasons gathered so far explain nothing about an unknown result
                    sink.keepFrom(start, mark);
                } else {
                    sink.moveDown(unknownEnd, mark);
                }
                unknownEnd += n;
                unknown = true;
            } else if (unknown && !keepOthers) {
                sink.truncate(mark);
            }
        }
        return unknown ? Truth.UNKNOWN : runThrough;
    }

    @Override
    TraceNode trace(AccessRequest request) {
        java.util.List<TraceNode> traced = new java.util.ArrayList<>(children.length);
        int[] counts = new int[3];
        for (RuleNode child : children) {
            TraceNode t = child.trace(request);
            traced.add(t);
            counts[t.outcome().ordinal()]++;
        }
        Truth result = counts[stopOn.ordinal()] > 0 ? stopResult
                : counts[Truth.UNKNOWN.ordinal()] > 0 ? Truth.UNKNOWN : runThrough;
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        String needs = switch (op) {
            case AND -> "needs every rule true";
            case OR -> "needs one rule true";
            case NOT -> "needs no rule true";
            case NOR -> "needs one rule not true";
        };
        StringBuilder why = new StringBuilder(name).append(" (").append(needs).append("): ");
        String sep = "";
        for (Truth t : Truth.values()) {
            if (counts[t.ordinal()] > 0) {
                why.append(sep).append(counts[t.ordinal()]).append(' ').append(t.name().toLowerCase(java.util.Locale.ROOT));
                sep = ", ";
            }
        }
        return new TraceNode(path, name, result, null, why.append(" of ").append(children.length).toString(), traced);
    }
}
