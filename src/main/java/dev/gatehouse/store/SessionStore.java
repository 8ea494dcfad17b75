package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Browser sessions and the keys that encrypt them, in the store's database (tables of
 * {@code V3__sessions.sql}). Rows only: what a session means, and its encryption, is the session
 * layer's ({@code dev.gatehouse.session}). The keys' material is sealed with the operator's
 * sealing key when there is one ({@link SessionKeyRows}). Every method runs one short transaction
 * on the calling worker thread.
 */
public final class SessionStore {
    private static final String COLUMNS =
            "id, idp_id, subject_hash, sid_hash, created_ms, expires_ms, last_seen_ms, key_id, state, email_hash";

    private final Database db;
    private final SessionKeyRows keyRows;

    /**
     * Session keys kept plain (the embedded store, or PostgreSQL without {@code gatehouse.store.key});
     * a sealed one met in the store is refused with an {@link UnsealException} naming the key it needs.
     */
    public SessionStore(Database db) {
        this(db, null);
    }

    /**
     * @param sealing seals the session keys ({@code gatehouse.store.key} with PostgreSQL), or null
     *                to keep them plain
     */
    public SessionStore(Database db, SealingKeys sealing) {
        this.db = db;
        this.keyRows = new SessionKeyRows(sealing);
    }

    /** Whether the session keys are written sealed. */
    public boolean sealsKeys() {
        return keyRows.seals();
    }

    /** Saves a new session. */
    public void insert(SessionRow r) {
        update("INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), r.idpId(), r.subjectHash(), r.sidHash(), r.createdMs(), r.expiresMs(), r.lastSeenMs(),
                r.keyId(), r.state(), r.emailHash());
    }

    /** Replaces a session's state (after a token refresh); false when it no longer exists. */
    public boolean replaceState(String id, String sidHash, String emailHash, String keyId, String state,
                                long lastSeenMs) {
        return update("UPDATE sessions SET sid_hash = ?, email_hash = ?, key_id = ?, state = ?, last_seen_ms = ? "
                + "WHERE id = ?", sidHash, emailHash, keyId, state, lastSeenMs, id) > 0;
    }

    /** Records that the session was used at {@code lastSeenMs} (never moves it back). */
    public void touch(String id, long lastSeenMs) {
        update("UPDATE sessions SET last_seen_ms = ? WHERE id = ? AND last_seen_ms < ?", lastSeenMs, id, lastSeenMs);
    }

    /** The session, if it exists and has not expired at {@code nowMs}. */
    public Optional<SessionRow> find(String id, long nowMs) {
        List<SessionRow> rows = select("SELECT " + COLUMNS + " FROM sessions WHERE id = ? AND expires_ms > ?",
                id, nowMs);
        return rows.stream().findFirst();
    }

    /** The sessions with this subject digest not expired at {@code nowMs}, newest first. */
    public List<SessionRow> findBySubject(String subjectHash, long nowMs) {
        return select("SELECT " + COLUMNS + " FROM sessions WHERE subject_hash = ? AND expires_ms > ? "
                + "ORDER BY created_ms DESC, id", subjectHash, nowMs);
    }

    /** The sessions with this email digest not expired at {@code nowMs}, newest first. */
    public List<SessionRow> findByEmail(String emailHash, long nowMs) {
        return select("SELECT " + COLUMNS + " FROM sessions WHERE email_hash = ? AND expires_ms > ? "
                + "ORDER BY created_ms DESC, id", emailHash, nowMs);
    }

    /**
     * Deletes the session and audits the attempt ({@code session.delete}, outcome {@code ok} or
     * {@code not-found}, detail: the session id and its IdP) in one transaction, after the audit
     * head is locked as for every audited write, so no session is ended by an admin unaudited.
     *
     * @return whether there was such a session
     */
    public boolean deleteAudited(String id, AuditLog audit, Actor actor, String clientAddress, String requestId) {
        try (Connection c = db.connection()) {
            try {
                AuditLog.Head head = AuditLog.lockHead(c);
                String idp = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT idp_id FROM sessions WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            idp = rs.getString(1);
                        }
                    }
                }
                if (idp != null) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
                com.fasterxml.jackson.databind.node.ObjectNode detail =
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", id);
                if (idp != null) {
                    detail.put("idp", idp);
                }
                audit.append(c, head, new AuditEvent(actor, "session.delete", null, clientAddress, requestId,
                        idp != null ? "ok" : "not-found", detail.toString()));
                c.commit();
                return idp != null;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot end the session: " + e.getMessage(), e);
        }
    }

    /** Deletes the session; false when there was none. */
    public boolean delete(String id) {
        return update("DELETE FROM sessions WHERE id = ?", id) > 0;
    }

    /** Deletes every session with this subject digest and returns their ids. */
    public List<String> deleteBySubject(String subjectHash) {
        return deleteWhere("subject_hash", subjectHash);
    }

    /** Deletes every session with this sid digest and returns their ids. */
    public List<String> deleteBySid(String sidHash) {
        return deleteWhere("sid_hash", sidHash);
    }

    /** Deletes sessions expired at {@code nowMs}; returns how many. */
    public int deleteExpired(long nowMs) {
        return update("DELETE FROM sessions WHERE expires_ms <= ?", nowMs);
    }

    /** Number of sessions not expired at {@code nowMs}. */
    public long countActive(long nowMs) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sessions WHERE expires_ms > ?")) {
            ps.setLong(1, nowMs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                c.commit();
                return n;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot count sessions: " + e.getMessage(), e);
        }
    }

    /**
     * Every session key, oldest first: key id to base64 material (unsealed).
     *
     * @throws UnsealException           when a key is sealed with a sealing key this replica does not have
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public Map<String, String> keys() {
        try (Connection c = db.connection()) {
            try {
                Map<String, String> keys = keyRows.read(c);
                c.commit();
                return keys;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read session keys: " + e.getMessage(), e);
        }
    }

    /** Creation time of the newest key, or -1 when there is none. */
    public long newestKeyCreatedMs() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(created_ms) FROM session_keys")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                boolean none = rs.wasNull();
                c.commit();
                return none ? -1 : v;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read session keys: " + e.getMessage(), e);
        }
    }

    /**
     * Adds a key (it becomes the newest), sealed when this store seals; the keys left plain by a
     * release before sealing are sealed in the same transaction.
     */
    public void addKey(String keyId, String material, long createdMs) {
        try (Connection c = db.connection()) {
            try {
                keyRows.insert(c, keyId, material, createdMs);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot add a session key: " + e.getMessage(), e);
        }
    }

    /**
     * Removes the session keys nothing can need any more: each was replaced before {@code replacedBeforeMs}
     * (a newer key already existed then, so no replica has sealed with it since, given a margin the
     * caller chooses) and no session row names it. The newest key of that moment and every later one
     * stay, whatever their age. Returns how many rows went.
     */
    public int deleteKeysReplacedBefore(long replacedBeforeMs) {
        // keys created at the same instant (two replicas rotating at once) are kept together
        return update("DELETE FROM session_keys WHERE created_ms < "
                + "(SELECT MAX(created_ms) FROM session_keys WHERE created_ms <= ?) "
                + "AND key_id NOT IN (SELECT key_id FROM sessions)", replacedBeforeMs);
    }

    private List<String> deleteWhere(String column, String value) {
        try (Connection c = db.connection()) {
            try {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sessions WHERE " + column + " = ?")) {
                    ps.setString(1, value);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE " + column + " = ?")) {
                    ps.setString(1, value);
                    ps.executeUpdate();
                }
                c.commit();
                return ids;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot end sessions: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("session store: " + e.getMessage(), e);
        }
    }

    private List<SessionRow> select(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<SessionRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SessionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10)));
                }
            }
            c.commit();
            return rows;
        } catch (SQLException e) {
            throw new StoreUnavailableException("session store: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }
}
