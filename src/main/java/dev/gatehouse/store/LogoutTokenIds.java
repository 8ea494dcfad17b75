package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The {@code jti} of every back-channel logout token accepted, per IdP, kept until the token would
 * be refused as too old anyway. Kept in the store so that a token replayed to another replica is
 * refused too; the primary key makes "first use" atomic across replicas.
 */
public final class LogoutTokenIds {
    /** SQLSTATE class of integrity-constraint violations (a duplicate key), on H2 and PostgreSQL. */
    private static final String INTEGRITY_VIOLATION = "23";

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
        try (Connection c = db.connection()) {
            try {
                try (PreparedStatement purge = c.prepareStatement("DELETE FROM logout_token_ids WHERE expires_ms < ?")) {
                    purge.setLong(1, clock.millis());
                    purge.executeUpdate();
                }
                c.commit(); // the purge stands on its own: a replay below rolls back only the insert
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO logout_token_ids (idp, jti, expires_ms) VALUES (?, ?, ?)")) {
                    ps.setString(1, idp);
                    ps.setString(2, jti);
                    ps.setLong(3, expiresMillis);
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                Database.rollback(c);
                if (e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION)) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot record a logout token id: " + e.getMessage(), e);
        }
    }
}
