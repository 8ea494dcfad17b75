package dev.gatehouse.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys every replica must share, kept in the store sealed with AES-256-GCM under the operator's
 * {@code gatehouse.store.key} (the purpose and key id are the associated data, so a sealed value
 * cannot be moved to another row). A key is text (a PEM, say); its id names it. A key can be
 * retired: it is then no longer read, and its sealed text is overwritten.
 */
public final class ClusterKeys {
    private static final String PREFIX = "v1:";
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
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final SecretKeySpec sealingKey;
    private final Clock clock;

    /**
     * @param sealingKey 32 bytes, base64 ({@code gatehouse.store.key})
     * @throws IllegalArgumentException when it is not
     */
    public ClusterKeys(Database db, String sealingKey, Clock clock) {
        this.db = db;
        this.sealingKey = new SecretKeySpec(decodeKey(sealingKey), "AES");
        this.clock = clock;
    }

    static byte[] decodeKey(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gatehouse.store.key: not base64 (make one with `openssl rand -base64 32`)");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("gatehouse.store.key: must be 32 bytes (base64 of 32 random bytes, "
                    + "`openssl rand -base64 32`), got " + raw.length);
        }
        return raw;
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
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD((purpose + "\n" + kid).getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a cluster key", e);
        }
    }

    String unseal(String purpose, String kid, String sealed) {
        try {
            if (!sealed.startsWith(PREFIX)) {
                throw new GeneralSecurityException("unknown format");
            }
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD((purpose + "\n" + kid).getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cluster key " + purpose + "/" + kid + " cannot be unsealed: is "
                    + "gatehouse.store.key the same on every replica as when it was stored?", e);
        }
    }
}
