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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys every replica must share, kept in the store sealed with AES-256-GCM under the operator's
 * {@code gatehouse.store.key} (the purpose and key id are the associated data, so a sealed value
 * cannot be moved to another row). A key is text (a PEM, say); its id names it.
 */
public final class ClusterKeys {
    private static final String PREFIX = "v1:";
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
            return keys;
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
     * store holds {@code expectedKeys} keys of it, and appends {@code event} to the audit log in the
     * same transaction (its detail is the caller's; the outcome is {@code ok}), so no key is added
     * unaudited and two rotations made from one reading add one key.
     *
     * @return false, and nothing written, when the store holds another number of keys
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public boolean add(String purpose, String kid, String text, int expectedKeys, AuditLog audit, AuditEvent event) {
        return inTransaction(c -> {
            AuditLog.Head head = AuditLog.lockHead(c); // the audit head first, as every audited write takes it
            lock(c);
            if (count(c, purpose) != expectedKeys) {
                return false;
            }
            insert(c, purpose, kid, text);
            audit.append(c, head, event);
            return true;
        });
    }

    private static int count(Connection c, String purpose) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cluster_keys WHERE purpose = ?")) {
            ps.setString(1, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
                "SELECT kid, sealed FROM cluster_keys WHERE purpose = ? ORDER BY created_ms DESC, kid")) {
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
