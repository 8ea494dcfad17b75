package dev.gatehouse.store;

import java.time.Instant;

/**
 * An app's candidate policy (shadow mode) as stored.
 *
 * @param appId   the app it shadows
 * @param version 1, 2, ... per app, counting every set and removal (its ETag)
 * @param policy  the policy document (canonical JSON), or null once removed or promoted
 * @param author  who set (or removed) it
 * @param at      when
 * @param comment the author's comment, or null
 */
public record Candidate(String appId, long version, String policy, Actor author, Instant at, String comment) {
    /** Whether this row holds a candidate (not a removal). */
    public boolean present() {
        return policy != null;
    }
}
