package dev.gatehouse.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.revoke.Revocation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Revocations in the store. A create or delete runs in one transaction with its audit entry (the
 * audit head is locked first, as for app writes), so no revocation exists unaudited. Reads return
 * those still in force; rows past their expiry are removed by {@link #purgeExpired}.
 */
public final class RevocationStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS =
            "id, kind, target, idp, expires_ms, reason, created_ms, created_by_sub, created_by_idp";

    private final Database db;
    private final AuditLog audit;

    public RevocationStore(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /** Stores {@code r} and audits it ({@code revocation.create}) in one transaction. */
    public AuditEntry create(Revocation r, String clientAddress, String requestId) {
        return inTransaction("cannot store the revocation", c -> {
            AuditLog.Head head = AuditLog.lockHead(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO revocations (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.kind().field());
                ps.setString(3, r.target());
                setNullable(ps, 4, r.idp());
                ps.setLong(5, r.expires().toEpochMilli());
                setNullable(ps, 6, r.reason());
                ps.setLong(7, r.created().toEpochMilli());
                setNullable(ps, 8, r.createdBy());
                setNullable(ps, 9, r.createdByIdp());
                ps.executeUpdate();
            }
            return audit.append(c, head, new AuditEvent(new Actor(r.createdBy(), r.createdByIdp()),
                    "revocation.create", null, clientAddress, requestId, "ok", detail(r)), r.created().toEpochMilli());
        });
    }

    /**
     * Removes revocation {@code id} and audits the attempt ({@code revocation.delete}, outcome
     * {@code ok} or {@code not-found}) in one transaction.
     *
     * @return the removed revocation, or empty when there was none
     */
    public Optional<Revocation> delete(String id, Actor actor, String clientAddress, String requestId) {
        return inTransaction("cannot delete the revocation", c -> {
            AuditLog.Head head = AuditLog.lockHead(c);
            Optional<Revocation> found = select(c, "SELECT " + COLUMNS + " FROM revocations WHERE id = ?", id)
                    .stream().findFirst();
            if (found.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM revocations WHERE id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            audit.append(c, head, new AuditEvent(actor, "revocation.delete", null, clientAddress, requestId,
                    found.isPresent() ? "ok" : "not-found",
                    found.map(RevocationStore::detail).orElse(JSON.createObjectNode().put("id", id).toString())));
            return found;
        });
    }

    /** Revocations in force at {@code now}, oldest first. */
    public List<Revocation> active(Instant now) {
        return inTransaction("cannot read revocations", c -> select(c, "SELECT " + COLUMNS
                + " FROM revocations WHERE expires_ms > ? ORDER BY created_ms, id", now.toEpochMilli()));
    }

    /** One revocation, in force or not. */
    public Optional<Revocation> find(String id) {
        return inTransaction("cannot read revocations", c -> select(c, "SELECT " + COLUMNS
                + " FROM revocations WHERE id = ?", id)).stream().findFirst();
    }

    /** Removes revocations that expired before {@code now}; returns how many. */
    public int purgeExpired(Instant now) {
        return inTransaction("cannot purge revocations", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM revocations WHERE expires_ms <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static List<Revocation> select(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            List<Revocation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Revocation(rs.getString(1), Revocation.Kind.of(rs.getString(2)), rs.getString(3),
                            rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6),
                            Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), rs.getString(9)));
                }
            }
            return out;
        }
    }

    private static String detail(Revocation r) {
        ObjectNode d = JSON.createObjectNode().put("id", r.id()).put(r.kind().field(), r.target());
        if (r.idp() != null) {
            d.put("idp", r.idp());
        }
        d.put("expires", r.expires().toString());
        if (r.reason() != null) {
            d.put("reason", r.reason());
        }
        return d.toString();
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

    /** One unit of work on a connection of its own. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = db.connection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(what + ": " + e.getMessage(), e);
        }
    }
}
