package dev.gatehouse.store;

import java.time.Clock;

/**
 * Sign-ins whose callback came already (table {@code spent_sign_in_states}, V6): the SHA-256 of
 * each callback's {@code state}, kept until that sign-in would be refused as too old anyway. The
 * state cookie a sign-in carries is readable by every replica, so without this record a callback
 * replayed to another replica would be stopped only by the IdP's single-use code.
 */
public final class SpentSignInStates {
    private static final String[] COLUMNS = {"state_hash"};

    private final Database db;
    private final Clock clock;

    public SpentSignInStates(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Records {@code stateHash} until {@code expiresMillis}.
     *
     * @return true the first time, false when a replica saw this callback before (a replay)
     * @throws StoreUnavailableException when the store cannot be reached (the sign-in fails closed)
     */
    public boolean firstUse(String stateHash, long expiresMillis) {
        return FirstUse.record(db, clock.millis(), "spent_sign_in_states", COLUMNS, new String[] {stateHash},
                expiresMillis, "a sign-in callback");
    }
}
