package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keys every replica must share, kept in the store sealed with AES-256-GCM under the operator's
 * {@code gatehouse.store.key} ({@link SealingKeys}; the purpose and key id are the associated data,
 * so a sealed value cannot be moved to another row). A key is text (a PEM, say); its id names it. A
 * key can be retired: it is then no longer read, and its sealed text is overwritten. When the
 * operator rotates the sealing key, {@link #reseal} seals every key again with the new one, so the
 * old one can be dropped; the session keys ({@code session_keys}, {@link SessionKeyRows}) are sealed
 * with the same keys and re-sealed and counted with them.
 */
public final class ClusterKeys {
    /** What a retired key's sealed column holds instead of the key. */
    private static final String RETIRED = "retired";

    /**
     * The keys of one purpose as stored.
     *
     * @param live    the keys in use by id, newest first
     * @param retired the ids of retired keys
     * @param version how many changes the keys went through: keys ever added plus keys retired
     *                (only grows; what a change names to be sure it was made against what it read)
     */
    public record Stored(Map<String, String> live, Set<String> retired, int version) {
    }

    /**
     * What a re-seal did.
     *
     * @param keyId          the id of the sealing key every live key is now sealed with
     * @param resealed       keys (cluster and session keys) that were sealed with another key, in the
     *                       old format or not at all, and now are sealed with it
     * @param alreadyCurrent keys that were sealed with it already
     */
    public record Resealed(String keyId, int resealed, int alreadyCurrent) {
    }

    private final Database db;
    private final SealingKeys sealing;
    private final SessionKeyRows sessionKeys;
    private final Clock clock;

    /**
     * @param sealingKey 32 bytes, base64 ({@code gatehouse.store.key})
     * @throws IllegalArgumentException when it is not
     */
    public ClusterKeys(Database db, String sealingKey, Clock clock) {
        this(db, SealingKeys.of(sealingKey), clock);
    }

    /** @param sealing the current sealing key and the previous ones that still unseal */
    public ClusterKeys(Database db, SealingKeys sealing, Clock clock) {
        this.db = db;
        this.sealing = sealing;
        this.sessionKeys = new SessionKeyRows(sealing);
        this.clock = clock;
    }

    /** The sealing keys this replica has. */
    public SealingKeys sealing() {
        return sealing;
    }

    /**
     * The keys of {@code purpose}, newest first, by id; when there is none, the key {@code create}
     * makes is stored first, under a lock, so replicas starting together agree on one.
     *
     * @param create makes a new key: {id, text}
     * @throws StoreUnavailableException when the store cannot be reached
     * @throws IllegalStateException     when a key cannot be unsealed (another {@code gatehouse.store.key})
     */
    public Map<String, String> loadOrCreate(String purpose, Supplier<String[]> create) {
        return load(purpose, create).live();
    }

    /**
     * {@link #loadOrCreate} with the retired keys' ids and the version, read in one transaction.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     * @throws IllegalStateException     when a key cannot be unsealed (another {@code gatehouse.store.key})
     */
    public Stored load(String purpose, Supplier<String[]> create) {
        return inTransaction(c -> {
            Map<String, String> keys = read(c, purpose);
            if (keys.isEmpty()) {
                lock(c);
                keys = read(c, purpose); // another replica may have created one while we waited
                if (keys.isEmpty()) {
                    String[] fresh = create.get();
                    insert(c, purpose, fresh[0], fresh[1]);
                    keys = Map.of(fresh[0], fresh[1]);
                }
            }
            return new Stored(keys, retired(c, purpose), version(c, purpose));
        });
    }

    /** Adds a newer key of {@code purpose} (a rotation): it comes first from now on; older keys stay. */
    public void add(String purpose, String kid, String text) {
        inTransaction(c -> {
            lock(c);
            insert(c, purpose, kid, text);
            return null;
        });
    }

    /**
     * Adds a newer key of {@code purpose} like {@link #add(String, String, String)}, only when the
     * keys are at version {@code expectedKeys} ({@link Stored#version()}), and appends {@code event} to the audit log in the
     * same transaction (its detail is the caller's; the outcome is {@code ok}), so no key is added
     * unaudited and two rotations made from one reading add one key.
     *
     * @return false, and nothing written, when the keys are at another version
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public boolean add(String purpose, String kid, String text, int expectedKeys, AuditLog audit, AuditEvent event) {
        return inTransaction(c -> {
            AuditLog.Head head = AuditLog.lockHead(c); // the audit head first, as every audited write takes it
            lock(c);
            if (version(c, purpose) != expectedKeys) {
                return false;
            }
            insert(c, purpose, kid, text);
            audit.append(c, head, event);
            return true;
        });
    }

    /**
     * Retires key {@code kid} of {@code purpose}, only when the keys are at version
     * {@code expectedVersion} and it is a live key other than the newest (the one in use), and
     * appends {@code event} to the audit log in the same transaction. Its sealed text is overwritten.
     *
     * @return false, and nothing written, when the version moved or the key is not one that may go
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public boolean retire(String purpose, String kid, int expectedVersion, AuditLog audit, AuditEvent event) {
        return inTransaction(c -> {
            AuditLog.Head head = AuditLog.lockHead(c);
            lock(c);
            if (version(c, purpose) != expectedVersion || kid.equals(newest(c, purpose))) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE cluster_keys SET retired_ms = ?, sealed = ? "
                    + "WHERE purpose = ? AND kid = ? AND retired_ms IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, RETIRED);
                ps.setString(3, purpose);
                ps.setString(4, kid);
                if (ps.executeUpdate() != 1) {
                    Database.rollback(c);
                    return false;
                }
            }
            audit.append(c, head, event);
            return true;
        });
    }

    /**
     * Seals every live key, of every purpose, and every session key (plain ones too) with the
     * current sealing key, in one transaction with
     * {@code event}'s audit entry (made from the counts; never key material), so that the previous
     * sealing keys can be dropped. Nothing is written when a key does not unseal with the keys this
     * replica has: the error names the sealing key that is missing.
     *
     * @throws UnsealException           when a key does not unseal here (nothing written)
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public Resealed reseal(AuditLog audit, Function<Resealed, AuditEvent> event) {
        return inTransaction(c -> {
            AuditLog.Head head = AuditLog.lockHead(c); // the audit head first, as every audited write takes it
            lock(c); // no rotation or retirement meanwhile
            int resealed = 0;
            int already = 0;
            for (String[] row : liveRows(c)) {
                if (sealing.sealedWithCurrent(row[2])) {
                    already++;
                    continue;
                }
                String text = unseal(row[0], row[1], row[2]);
                try (PreparedStatement ps = c.prepareStatement("UPDATE cluster_keys SET sealed = ? "
                        + "WHERE purpose = ? AND kid = ? AND retired_ms IS NULL")) {
                    ps.setString(1, seal(row[0], row[1], text));
                    ps.setString(2, row[0]);
                    ps.setString(3, row[1]);
                    ps.executeUpdate();
                }
                resealed++;
            }
            int[] sessions = sessionKeys.reseal(c);
            resealed += sessions[0];
            already += sessions[1];
            Resealed done = new Resealed(sealing.currentId(), resealed, already);
            audit.append(c, head, event.apply(done));
            return done;
        });
    }

    /**
     * How many live keys (every purpose, and the session keys) each sealing key seals, by its id;
     * {@code "v1"} counts values in the old format that no key here opens, {@code "plain"} session
     * keys not sealed at all (written before sealing; the next rotation or {@link #reseal} seals them).
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public Map<String, Integer> sealedBy() {
        return inTransaction(c -> {
            Map<String, Integer> out = new TreeMap<>();
            for (String[] row : liveRows(c)) {
                out.merge(sealing.keyIdOf(row[0] + "\n" + row[1], row[2]), 1, Integer::sum);
            }
            sessionKeys.countInto(c, out);
            return out;
        });
    }

    /** Every live key as {purpose, kid, sealed}. */
    private static List<String[]> liveRows(Connection c) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT purpose, kid, sealed FROM cluster_keys "
                + "WHERE retired_ms IS NULL ORDER BY purpose, kid");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return rows;
    }

    private static int version(Connection c, String purpose) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) + COUNT(retired_ms) FROM cluster_keys WHERE purpose = ?")) {
            ps.setString(1, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String newest(Connection c, String purpose) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kid FROM cluster_keys WHERE purpose = ? "
                + "AND retired_ms IS NULL ORDER BY created_ms DESC, kid")) {
            ps.setString(1, purpose);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Set<String> retired(Connection c, String purpose) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kid FROM cluster_keys WHERE purpose = ? AND retired_ms IS NOT NULL")) {
            ps.setString(1, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = db.connection()) {
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read or write cluster keys: " + e.getMessage(), e);
        }
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cluster_keys_lock WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    private Map<String, String> read(Connection c, String purpose) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kid, sealed FROM cluster_keys WHERE purpose = ? AND retired_ms IS NULL "
                        + "ORDER BY created_ms DESC, kid")) {
            ps.setString(1, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), unseal(purpose, rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    private void insert(Connection c, String purpose, String kid, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cluster_keys (purpose, kid, created_ms, sealed) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, purpose);
            ps.setString(2, kid);
            ps.setLong(3, clock.millis());
            ps.setString(4, seal(purpose, kid, text));
            ps.executeUpdate();
        }
    }

    String seal(String purpose, String kid, String text) {
        return sealing.seal(purpose + "\n" + kid, text);
    }

    String unseal(String purpose, String kid, String sealed) {
        return sealing.unseal(purpose + "\n" + kid, sealed, "cluster key " + purpose + "/" + kid);
    }
}
