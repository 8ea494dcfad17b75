package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * "Accept this once" across replicas: inserts a key into a table whose primary key is that key,
 * with an expiry; the insert of a key already there fails on the constraint, on whichever replica
 * tries second. Rows past their expiry are purged first (their tokens or sign-ins are refused as
 * too old by then). Shared by {@link LogoutTokenIds} and {@link SpentSignInStates}.
 */
final class FirstUse {
    /** SQLSTATE class of integrity-constraint violations (a duplicate key), on H2 and PostgreSQL. */
    private static final String INTEGRITY_VIOLATION = "23";

    private FirstUse() {
    }

    /**
     * @param table   a table with the key columns, an {@code expires_ms} column, and the key columns as primary key
     * @param columns the key columns
     * @param values  their values, in order
     * @return true the first time, false when the key was recorded already
     * @throws StoreUnavailableException when the store cannot be reached (callers fail closed)
     */
    static boolean record(Database db, long nowMs, String table, String[] columns, String[] values,
                          long expiresMs, String what) {
        try (Connection c = db.connection()) {
            try {
                try (PreparedStatement purge = c.prepareStatement("DELETE FROM " + table + " WHERE expires_ms < ?")) {
                    purge.setLong(1, nowMs);
                    purge.executeUpdate();
                }
                c.commit(); // the purge stands on its own: a replay below rolls back only the insert
                String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ", expires_ms) VALUES ("
                        + "?, ".repeat(columns.length) + "?)";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < values.length; i++) {
                        ps.setString(i + 1, values[i]);
                    }
                    ps.setLong(values.length + 1, expiresMs);
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
            throw new StoreUnavailableException("cannot record " + what + ": " + e.getMessage(), e);
        }
    }
}
