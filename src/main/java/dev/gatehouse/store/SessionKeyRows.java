package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code session_keys} (the keys that encrypt browser sessions) as they are kept: with
 * PostgreSQL and {@code gatehouse.store.key}, each key's material sealed like the cluster keys
 * ({@link SealingKeys}; the associated data is {@code session_keys\n<key id>}, so a sealed value
 * opens only in its own row), so a dump of the database alone cannot read or forge session cookies.
 * Without a sealing key (the embedded store, whose data directory holds its keys anyway, or
 * PostgreSQL with a key file and no store key) and in stores written before this release, the
 * material is plain base64: still read, and sealed by the next rotation or re-seal of a replica
 * that has a key. A sealed row is never taken for plain, nor a row that does not open for a missing
 * one: the error names the sealing key it needs.
 */
final class SessionKeyRows {
    /** What {@link #countInto} counts plain rows under. */
    static final String PLAIN = "plain";
    private static final String TABLE = "session_keys";

    /** Null: rows are written plain. */
    private final SealingKeys sealing;

    /** @param sealing the operator's sealing keys, or null to store the material plain */
    SessionKeyRows(SealingKeys sealing) {
        this.sealing = sealing;
    }

    /** Whether new rows are sealed. */
    boolean seals() {
        return sealing != null;
    }

    /**
     * Every key, oldest first: key id to base64 material, unsealed.
     *
     * @throws UnsealException when a row is sealed with a key this replica does not have
     */
    Map<String, String> read(Connection c) throws SQLException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String[] row : rows(c)) {
            keys.put(row[0], open(row[0], row[1]));
        }
        return keys;
    }

    /** Adds a key (sealed when this replica seals), and seals the plain rows left from before. */
    void insert(Connection c, String keyId, String material, long createdMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO session_keys (key_id, material, created_ms) VALUES (?, ?, ?)")) {
            ps.setString(1, keyId);
            ps.setString(2, stored(keyId, material));
            ps.setLong(3, createdMs);
            ps.executeUpdate();
        }
        if (sealing != null) {
            // the first write of a replica with the key: what the old release left plain is sealed too
            for (String[] row : rows(c)) {
                if (!SealingKeys.isSealed(row[1])) {
                    replace(c, row[0], row[1], seal(row[0], row[1]));
                }
            }
        }
    }

    /**
     * Seals every row that is plain or sealed with another key with the current sealing key.
     *
     * @return {re-sealed, already sealed with the current key}
     * @throws UnsealException when a row does not open with the keys here (the caller rolls back)
     */
    int[] reseal(Connection c) throws SQLException {
        int resealed = 0;
        int already = 0;
        for (String[] row : rows(c)) {
            if (sealing.sealedWithCurrent(row[1])) {
                already++;
            } else if (replace(c, row[0], row[1], seal(row[0], open(row[0], row[1])))) {
                resealed++;
            }
        }
        return new int[] {resealed, already};
    }

    /** Adds how many rows each sealing key seals, by its id, to {@code out}; plain rows under {@link #PLAIN}. */
    void countInto(Connection c, Map<String, Integer> out) throws SQLException {
        for (String[] row : rows(c)) {
            String by = SealingKeys.isSealed(row[1]) ? sealing.keyIdOf(associated(row[0]), row[1]) : PLAIN;
            out.merge(by, 1, Integer::sum);
        }
    }

    /** What the material column holds for {@code material}: sealed when this replica seals, else as is. */
    private String stored(String keyId, String material) {
        return sealing == null ? material : seal(keyId, material);
    }

    private String seal(String keyId, String material) {
        return sealing.seal(associated(keyId), material);
    }

    private String open(String keyId, String stored) {
        if (!SealingKeys.isSealed(stored)) {
            return stored; // written by a release before sealing, or without a sealing key
        }
        String what = "session key " + keyId;
        if (sealing == null) {
            throw SealingKeys.noKeyFor(stored, what);
        }
        return sealing.unseal(associated(keyId), stored, what);
    }

    private static String associated(String keyId) {
        return TABLE + "\n" + keyId;
    }

    /** Sets a row's column to {@code next} unless another transaction changed it since it was read. */
    private static boolean replace(Connection c, String keyId, String was, String next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE session_keys SET material = ? WHERE key_id = ? AND material = ?")) {
            ps.setString(1, next);
            ps.setString(2, keyId);
            ps.setString(3, was);
            return ps.executeUpdate() == 1;
        }
    }

    /** Every row as {key id, material column}, oldest first. */
    private static List<String[]> rows(Connection c) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key_id, material FROM session_keys ORDER BY created_ms, key_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return rows;
    }
}
