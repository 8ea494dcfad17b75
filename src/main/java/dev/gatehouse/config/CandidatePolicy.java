package dev.gatehouse.config;

import dev.gatehouse.policy.CompiledPolicy;
import java.util.concurrent.atomic.LongAdder;

/**
 * An app's candidate policy in shadow mode, compiled once when it is set: every real request of
 * the app is also evaluated against it (never deciding anything), and how often the two policies
 * agreed or not is tallied here, per replica, from the moment this candidate was put in force.
 * A new candidate is a new instance, so its tallies start at zero. Thread-safe: tallies are
 * {@link LongAdder}s, incremented on event loops without contention.
 */
public final class CandidatePolicy {
    private final String appId;
    private final long version;
    private final CompiledPolicy policy;
    private final LongAdder evaluated = new LongAdder();
    private final LongAdder allowToDeny = new LongAdder();
    private final LongAdder denyToAllow = new LongAdder();

    /**
     * @param appId   the app it shadows
     * @param version the candidate's own version (1, 2, ... per app, as stored)
     * @param policy  the compiled candidate
     */
    public CandidatePolicy(String appId, long version, CompiledPolicy policy) {
        this.appId = appId;
        this.version = version;
        this.policy = policy;
    }

    public String appId() {
        return appId;
    }

    public long version() {
        return version;
    }

    public CompiledPolicy policy() {
        return policy;
    }

    /** Tallies one request: what the live policy decided and what this candidate would have. */
    public void count(boolean liveAllowed, boolean candidateAllowed) {
        evaluated.increment();
        if (liveAllowed && !candidateAllowed) {
            allowToDeny.increment();
        } else if (!liveAllowed && candidateAllowed) {
            denyToAllow.increment();
        }
    }

    /** Requests evaluated against this candidate on this replica. */
    public long evaluated() {
        return evaluated.sum();
    }

    /** Requests the live policy allowed and this candidate would deny. */
    public long allowToDeny() {
        return allowToDeny.sum();
    }

    /** Requests the live policy denied and this candidate would allow. */
    public long denyToAllow() {
        return denyToAllow.sum();
    }
}
