package dev.gatehouse.store;

import java.time.Clock;

/**
 * The {@code jti} of every back-channel logout token accepted, per IdP, kept until the token would
 * be refused as too old anyway. Kept in the store so that a token replayed to another replica is
 * refused too; the primary key makes "first use" atomic across replicas.
 */
public final class LogoutTokenIds {
    private static final String[] COLUMNS = {"idp", "jti"};

    private final Database db;
    private final Clock clock;

    public LogoutTokenIds(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Records {@code jti} of {@code idp} until {@code expiresMillis}.
     *
     * @return true the first time, false when it was recorded already (a replay)
     * @throws StoreUnavailableException when the store cannot be reached (the caller fails closed)
     */
    public boolean firstUse(String idp, String jti, long expiresMillis) {
        return FirstUse.record(db, clock.millis(), "logout_token_ids", COLUMNS, new String[] {idp, jti},
                expiresMillis, "a logout token id");
    }
}
