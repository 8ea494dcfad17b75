package dev.gatehouse.policy;

/**
 * Evaluates a compiled policy against a request. Pure, synchronous, thread-safe.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    public static Decision evaluate(CompiledPolicy policy, AccessRequest request) {
        throw new UnsupportedOperationException("TODO");
    }
}
