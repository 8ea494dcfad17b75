package dev.gatehouse.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Candidate policies (shadow mode), one per app at most. A write runs like an app write
 * ({@link AppStore}): one transaction that locks the audit head, compares the caller's version
 * ({@code If-Match}) with the stored one, writes, and audits the attempt whatever its outcome.
 * Promotion removes the candidate inside the app write's own transaction ({@link #promotedIn}).
 */
public final class CandidateStore {
    /** Audit actions. */
    public static final String SET = "candidate.set";
    public static final String REMOVE = "candidate.remove";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "app_id, version, policy, author_sub, author_idp, created_ms, comment";

    private final Database db;
    private final AuditLog audit;

    public CandidateStore(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /**
     * How a candidate write ended.
     *
     * @param outcome OK, STALE (the version differs) or NOT_FOUND (no candidate to remove)
     * @param written the new row when OK
     * @param current the version the transaction saw (0: never set)
     */
    public record Result(WriteResult.Outcome outcome, Candidate written, long current) {
    }

    /** The app's candidate, when it has one. */
    public Optional<Candidate> current(String appId) {
        return select("SELECT " + COLUMNS + " FROM app_candidates WHERE app_id = ? AND policy IS NOT NULL", appId)
                .stream().findFirst();
    }

    /** The latest row of the app, a removal included (its version is the one to send back). */
    public Optional<Candidate> latest(String appId) {
        return select("SELECT " + COLUMNS + " FROM app_candidates WHERE app_id = ?", appId).stream().findFirst();
    }

    /** Every candidate in place, by app id. */
    public List<Candidate> all() {
        return select("SELECT " + COLUMNS + " FROM app_candidates WHERE policy IS NOT NULL ORDER BY app_id", null);
    }

    /**
     * Sets (policy given) or removes (policy null) the app's candidate.
     *
     * @param expected the candidate version the caller read ({@code If-Match}), or null to create
     *                 one where none is ({@code If-None-Match: *})
     */
    public Result write(String appId, Long expected, String policy, String comment, Actor actor, String clientAddress,
                        String requestId) {
        try (Connection c = db.connection()) {
            try {
                Result r = writeIn(c, appId, expected, policy, comment, actor, clientAddress, requestId);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot write the candidate of " + appId + ": " + e.getMessage(), e);
        }
    }

    private Result writeIn(Connection c, String appId, Long expected, String policy, String comment, Actor actor,
                           String clientAddress, String requestId) throws SQLException {
        AuditLog.Head head = AuditLog.lockHead(c);
        long[] cur = current(c, appId); // {version, present 0/1} or null
        long latest = cur == null ? 0 : cur[0];
        boolean present = cur != null && cur[1] == 1;
        WriteResult.Outcome outcome;
        if (policy == null && !present) {
            outcome = WriteResult.Outcome.NOT_FOUND;
        } else if (expected == null) {
            outcome = present ? WriteResult.Outcome.STALE : WriteResult.Outcome.OK;
        } else {
            outcome = present && expected == latest ? WriteResult.Outcome.OK : WriteResult.Outcome.STALE;
        }
        long at = audit.now();
        Candidate written = null;
        if (outcome == WriteResult.Outcome.OK) {
            written = new Candidate(appId, latest + 1, policy, actor, Instant.ofEpochMilli(at), comment);
            put(c, written, cur != null);
        }
        ObjectNode d = JSON.createObjectNode();
        d.put("expected", expected == null ? "*" : Long.toString(expected));
        d.put("latest", latest);
        if (written != null) {
            d.put("candidate_version", written.version());
            if (policy != null) {
                d.put("content_hash", AuditChain.sha256(policy));
            }
        }
        if (comment != null) {
            d.put("comment", comment);
        }
        audit.append(c, head, new AuditEvent(actor, policy == null ? REMOVE : SET, appId, clientAddress, requestId,
                outcome.label(), d.toString()), at);
        return new Result(outcome, written, written != null ? written.version() : latest);
    }

    /**
     * Within an app write's transaction (which holds the audit head): removes the candidate that is
     * being promoted. False when the app's candidate is not at {@code version} any more (changed or
     * removed since the caller read it): the promotion must then fail.
     */
    static boolean promotedIn(Connection c, String appId, long version, Actor actor, long at) throws SQLException {
        long[] cur = current(c, appId);
        if (cur == null || cur[1] == 0 || cur[0] != version) {
            return false;
        }
        put(c, new Candidate(appId, version + 1, null, actor, Instant.ofEpochMilli(at), "promoted"), true);
        return true;
    }

    private static long[] current(Connection c, String appId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, policy IS NOT NULL FROM app_candidates "
                + "WHERE app_id = ?")) {
            ps.setString(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0} : null;
            }
        }
    }

    private static void put(Connection c, Candidate k, boolean exists) throws SQLException {
        String sql = exists ? "UPDATE app_candidates SET version = ?, policy = ?, author_sub = ?, author_idp = ?, "
                + "created_ms = ?, comment = ? WHERE app_id = ?"
                : "INSERT INTO app_candidates (version, policy, author_sub, author_idp, created_ms, comment, app_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, k.version());
            ps.setString(2, k.policy());
            ps.setString(3, k.author().subject());
            ps.setString(4, k.author().idp());
            ps.setLong(5, k.at().toEpochMilli());
            ps.setString(6, k.comment());
            ps.setString(7, k.appId());
            ps.executeUpdate();
        }
    }

    private List<Candidate> select(String sql, String appId) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (appId != null) {
                ps.setString(1, appId);
            }
            List<Candidate> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(rs.getString(1), rs.getLong(2), rs.getString(3),
                            new Actor(rs.getString(4), rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)),
                            rs.getString(7)));
                }
            }
            c.rollback(); // read only
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read candidates: " + e.getMessage(), e);
        }
    }
}
