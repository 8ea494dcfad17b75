package dev.gatehouse.identity;

/**
 * Remembers the {@code jti} of accepted logout tokens, shared by every replica (the store keeps
 * them), so a token is accepted once.
 */
@FunctionalInterface
public interface ReplayGuard {
    /**
     * Records {@code jti} of {@code idp} until {@code expiresMillis}.
     *
     * @return true the first time, false for a replay
     */
    boolean firstUse(String idp, String jti, long expiresMillis);
}
