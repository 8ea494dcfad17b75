package dev.gatehouse.policy;

import java.util.List;

/**
 * An immutable, validated policy ready for evaluation. Built only by {@link PolicyCompiler}.
 * Thread-safe: share one instance between all request threads.
 */
public final class CompiledPolicy {
    /** Denies everything ({@code no-allow-rule}): what a missing policy means. Version 0. */
    public static final CompiledPolicy DENY_ALL = new CompiledPolicy(null, null, 0);

    /** Must be a power of two. */
    private static final int CACHE_SLOTS = 16;

    private final RuleNode allow;
    private final RuleNode deny;
    private final long version;
    /**
     * Recently returned decisions, so that the steady state (the same few outcomes again and again)
     * allocates no Decision and no reason list. Reads and writes race benignly: a Decision is an
     * immutable record, safely published through its final fields, and a lost write is a cache miss.
     */
    private final Decision[] recent = new Decision[CACHE_SLOTS];

    private final StepUpDemands stepUp;

    CompiledPolicy(RuleNode allow, RuleNode deny, long version) {
        this(allow, deny, version, StepUpDemands.NONE);
    }

    CompiledPolicy(RuleNode allow, RuleNode deny, long version, StepUpDemands stepUp) {
        this.allow = allow;
        this.deny = deny;
        this.version = version;
        this.stepUp = stepUp;
    }

    /** What the policy asks of a sign-in ({@code max-auth-age}, {@code acr}), for step-up. */
    public StepUpDemands stepUp() {
        return stepUp;
    }

    /** A policy that denies everything, with the given version. */
    public static CompiledPolicy denyAll(long version) {
        return new CompiledPolicy(null, null, version);
    }

    public long version() {
        return version;
    }

    /**
     * The settings of an IdP's {@code claims:} section whose claims this policy reads, in either
     * block ({@code groups}, {@code device-compliant}, {@code email}, ...): what its IdP's tokens must
     * carry for the policy to grant anything. Walks the tree; not for the request path.
     */
    public java.util.Set<String> claimSettings() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (allow != null) {
            allow.claimSettings(out);
        }
        if (deny != null) {
            deny.claimSettings(out);
        }
        return out;
    }

    /** Whether the policy has an allow rule at all; without one it denies everything. */
    public boolean hasAllowRule() {
        return allow != null;
    }

    RuleNode allow() {
        return allow;
    }

    RuleNode deny() {
        return deny;
    }

    /** The decision for these facts, reused from a previous evaluation when equal. */
    Decision decision(Outcome outcome, String rule, ReasonSink sink) {
        int n = sink.size();
        int h = outcome.ordinal() * 31 + rule.hashCode();
        for (int i = 0; i < n; i++) {
            h = h * 31 + sink.reason(i).ordinal();
        }
        int slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
        Decision cached = recent[slot];
        if (cached != null && cached.outcome() == outcome && cached.rule().equals(rule) && same(cached.reasons(), sink)) {
            return cached;
        }
        Reason[] reasons = new Reason[n];
        for (int i = 0; i < n; i++) {
            reasons[i] = sink.reason(i);
        }
        Decision fresh = new Decision(outcome, List.of(reasons), rule, version);
        recent[slot] = fresh;
        return fresh;
    }

    private static boolean same(List<Reason> reasons, ReasonSink sink) {
        if (reasons.size() != sink.size()) {
            return false;
        }
        for (int i = 0; i < reasons.size(); i++) {
            if (reasons.get(i) != sink.reason(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "CompiledPolicy[version=" + version + ", allow=" + (allow != null) + ", deny=" + (deny != null) + "]";
    }
}
