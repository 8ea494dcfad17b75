package dev.gatehouse.session;

import dev.gatehouse.store.SpentSignInStates;
import dev.gatehouse.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Makes a sign-in's callback single-use across replicas: the first replica to see a {@code state}
 * records its digest in the store ({@link SpentSignInStates}) until the sign-in would be refused as
 * too old anyway; any replica seeing it again is told it is a replay. Also says whether a failure
 * on the sign-in path means the store is out of reach (then the person is told so, 503, rather than
 * that their sign-in was wrong).
 */
public final class SignInStates {
    private final SpentSignInStates spent;
    private final Vertx vertx;

    public SignInStates(SpentSignInStates spent, Vertx vertx) {
        this.spent = spent;
        this.vertx = vertx;
    }

    /**
     * Records the callback's {@code state} parameter (worker thread) until {@code expiresMs}.
     *
     * @return a future of true the first time, false for a replay; failed when the store is unreachable
     */
    public Future<Boolean> firstUse(String stateParam, long expiresMs) {
        String digest = Secrets.sha256Hex("sign-in-state:" + stateParam);
        return vertx.executeBlocking(() -> spent.firstUse(digest, expiresMs), false);
    }

    /** Whether {@code failure} (or one of its causes) is the store being out of reach. */
    public static boolean storeUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
