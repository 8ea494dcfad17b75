package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Walks the audit log from the first entry and recomputes the chain: every sequence number must
 * follow the previous one, every {@code prev_hash} must be the previous entry's hash, and every
 * hash must be what the entry's fields give. The last entry must be the one the head row names.
 * So an entry that was edited, removed (anywhere, the last one too) or inserted is found; a
 * rewrite of the whole chain and the head by someone with write access to the database is not
 * (that needs an anchor outside it: see the README).
 */
public final class AuditVerifier {
    private static final int BATCH = 1000;

    private final Database db;

    public AuditVerifier(Database db) {
        this.db = db;
    }

    /**
     * The outcome of a verification.
     *
     * @param ok       whether the chain is intact
     * @param entries  entries checked
     * @param brokenAt the first sequence number where the chain breaks, or null
     * @param problem  what is wrong there, or null
     * @param head     the hash of the last entry (an anchor to keep elsewhere), or null when broken
     */
    public record Result(boolean ok, long entries, Long brokenAt, String problem, String head) {
        static Result broken(long entries, long seq, String problem) {
            return new Result(false, entries, seq, problem, null);
        }
    }

    public Result verify() {
        try (Connection c = db.connection()) {
            try {
                return walk(c);
            } finally {
                Database.rollback(c); // read only
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    private Result walk(Connection c) throws SQLException {
        AuditLog.Head head = readHead(c);
        long expected = 1;
        String prev = AuditChain.GENESIS;
        while (true) {
            int seen = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AuditLog.COLUMNS
                    + " FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
                ps.setLong(1, expected);
                ps.setLong(2, Math.min(head.seq(), expected + BATCH - 1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen++;
                        AuditEntry e = AuditLog.read(rs);
                        if (e.seq() != expected) {
                            return Result.broken(expected - 1, expected, "entry " + expected + " is missing");
                        }
                        if (!e.prevHash().equals(prev)) {
                            return Result.broken(expected - 1, expected, "prev_hash does not match entry " + (expected - 1));
                        }
                        if (!AuditChain.hash(prev, e.seq(), e.at().toEpochMilli(), e.event()).equals(e.hash())) {
                            return Result.broken(expected - 1, expected, "the entry's content does not match its hash");
                        }
                        prev = e.hash();
                        expected++;
                    }
                }
            }
            if (expected > head.seq()) {
                break;
            }
            if (seen == 0) {
                return Result.broken(expected - 1, expected, "entry " + expected + " is missing");
            }
        }
        if (!prev.equals(head.hash())) {
            return Result.broken(head.seq(), head.seq(), "the head does not match the last entry");
        }
        // an entry beyond the head was added behind the log's back (an append moves the head in the
        // same transaction; one committed since the head was read here has a higher head now)
        AuditLog.Head now = readHead(c);
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM audit_log WHERE seq > ?")) {
            ps.setLong(1, now.seq());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    return Result.broken(head.seq(), rs.getLong(1), "an entry beyond the head");
                }
            }
        }
        return new Result(true, head.seq(), null, null, head.seq() == 0 ? null : head.hash());
    }

    private static AuditLog.Head readHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row missing");
            }
            return new AuditLog.Head(rs.getLong(1), rs.getString(2));
        }
    }
}
