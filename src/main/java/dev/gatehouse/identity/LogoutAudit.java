package dev.gatehouse.identity;

/**
 * Writes the audit entry of an accepted back-channel logout: which IdP, the token's {@code sub},
 * {@code sid} and {@code jti}, how many sessions ended, from which address, in which request.
 * Called on a worker thread after the sessions ended; may use the store (and throw when it is
 * unreachable: the caller logs it, the logout stands).
 */
@FunctionalInterface
public interface LogoutAudit {
    void record(LogoutToken token, int sessionsEnded, String clientAddress, String requestId);
}
