package dev.gatehouse.policy;

/**
 * An immutable, validated policy ready for evaluation. Built only by {@link PolicyCompiler}.
 */
public final class CompiledPolicy {
    // TODO filled by the policy engine: allow and deny trees
    private final long version;

    CompiledPolicy(long version) {
        this.version = version;
    }

    public long version() {
        return version;
    }
}
