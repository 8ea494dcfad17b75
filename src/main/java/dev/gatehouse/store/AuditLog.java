package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The hash-chained audit log. Appending locks the head row ({@code audit_head}, one row) for the
 * rest of the caller's transaction: writers are serialised (across replicas on PostgreSQL), each
 * entry extends the chain exactly once, and the head lets {@link AuditVerifier} notice a removed
 * last entry. Queries are newest first.
 */
public final class AuditLog {
    static final String COLUMNS = "seq, at_ms, actor_sub, actor_idp, action, app_id, client_address, request_id, "
            + "outcome, detail, prev_hash, hash";

    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The last entry's sequence number and hash, as the head row says. */
    record Head(long seq, String hash) {
    }

    /** Locks the head row until the transaction ends and returns it. */
    static Head lockHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row missing: the schema was not migrated");
            }
            return new Head(rs.getLong(1), rs.getString(2));
        }
    }

    /** The time entries get now, epoch milliseconds. */
    long now() {
        return clock.millis();
    }

    /** Appends {@code event} after {@code head} (locked by this transaction) and moves the head. */
    AuditEntry append(Connection c, Head head, AuditEvent event) throws SQLException {
        return append(c, head, event, now());
    }

    /** {@link #append(Connection, Head, AuditEvent)} at a given time (that of the change it records). */
    AuditEntry append(Connection c, Head head, AuditEvent event, long at) throws SQLException {
        long seq = head.seq() + 1;
        String hash = AuditChain.hash(head.hash(), seq, at, event);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, at);
            ps.setString(3, event.actor().subject());
            ps.setString(4, event.actor().idp());
            ps.setString(5, event.action());
            ps.setString(6, event.appId());
            ps.setString(7, event.clientAddress());
            ps.setString(8, event.requestId());
            ps.setString(9, event.outcome());
            ps.setString(10, event.detail());
            ps.setString(11, head.hash());
            ps.setString(12, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            ps.setLong(1, seq);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
        return new AuditEntry(seq, Instant.ofEpochMilli(at), event, head.hash(), hash);
    }

    /** Appends one event in a transaction of its own (attempts that change nothing else). */
    public AuditEntry record(AuditEvent event) {
        try (Connection c = db.connection()) {
            try {
                AuditEntry entry = append(c, lockHead(c), event);
                c.commit();
                return entry;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot append to the audit log: " + e.getMessage(), e);
        }
    }

    /**
     * Entries matching every given filter, newest first.
     *
     * @param appId  only this app, or null
     * @param actor  only this subject, or null
     * @param since  only at or after, or null
     * @param until  only before, or null
     * @param before only entries with a smaller sequence number (the paging cursor), or null
     * @param limit  at most this many
     */
    public List<AuditEntry> query(String appId, String actor, Instant since, Instant until, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter(sql, args, " AND app_id = ?", appId);
        filter(sql, args, " AND actor_sub = ?", actor);
        filter(sql, args, " AND at_ms >= ?", since == null ? null : since.toEpochMilli());
        filter(sql, args, " AND at_ms < ?", until == null ? null : until.toEpochMilli());
        filter(sql, args, " AND seq < ?", before);
        sql.append(" ORDER BY seq DESC");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setMaxRows(limit);
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    out.add(read(rs));
                }
            }
            c.rollback(); // read only
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    private static void filter(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            args.add(value);
        }
    }

    static AuditEntry read(ResultSet rs) throws SQLException {
        AuditEvent event = new AuditEvent(new Actor(rs.getString(3), rs.getString(4)), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10));
        return new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), event, rs.getString(11),
                rs.getString(12));
    }
}
