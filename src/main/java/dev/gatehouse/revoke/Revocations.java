package dev.gatehouse.revoke;

import dev.gatehouse.policy.Identity;

/**
 * The revocation set in force on this replica: one volatile read per check. It is replaced whole
 * when the store changes (a notice from any replica, or the periodic re-read), never edited.
 */
public final class Revocations {
    private volatile RevocationSet current = RevocationSet.EMPTY;

    /** The set in force. */
    public RevocationSet current() {
        return current;
    }

    /** Puts {@code next} in force. */
    public void replace(RevocationSet next) {
        current = next;
    }

    /** Shorthand for {@code current().match(...)}. */
    public Revocation match(String idp, Identity identity, String sessionId, long nowMillis) {
        return current.match(idp, identity, sessionId, nowMillis);
    }
}
