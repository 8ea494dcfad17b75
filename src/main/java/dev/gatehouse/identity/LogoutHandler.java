package dev.gatehouse.identity;

/**
 * Ends what a validated back-channel logout token names: the Gatehouse sessions of that IdP
 * session ({@code sid}) or, without one, of that user ({@code sub}), on every replica. Called on a
 * worker thread; may use the store.
 */
@FunctionalInterface
public interface LogoutHandler {
    /** @return how many sessions this replica ended at once (others follow through cluster notices) */
    int loggedOut(LogoutToken token);
}
