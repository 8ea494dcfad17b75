package dev.gatehouse.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Apps written through the admin API: immutable versions, the latest version per app, and writes
 * with optimistic concurrency. A write runs in one transaction that first locks the audit head
 * (serialising writers, across replicas too), then compares the caller's version with the latest,
 * checks the route, writes the version and records the attempt in the audit log, whatever its
 * outcome: an attempt is audited exactly once, and never without its effect.
 */
public final class AppStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION_COLUMNS =
            "v.app_id, v.version, v.document, v.deleted, v.author_sub, v.author_idp, v.created_ms, v.comment, v.content_hash";

    private final Database db;
    private final AuditLog audit;

    public AppStore(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /** The latest version of every app that is not deleted, by id. */
    public List<AppVersion> live() {
        return select("SELECT " + VERSION_COLUMNS + " FROM app_versions v JOIN app_current c ON c.app_id = v.app_id "
                + "AND c.version = v.version WHERE c.deleted = FALSE ORDER BY v.app_id", List.of(), Integer.MAX_VALUE);
    }

    /** The latest version of the app, deleted or not; empty when it was never written. */
    public Optional<AppVersion> latest(String appId) {
        return select("SELECT " + VERSION_COLUMNS + " FROM app_versions v JOIN app_current c ON c.app_id = v.app_id "
                + "AND c.version = v.version WHERE c.app_id = ?", List.of(appId), 1).stream().findFirst();
    }

    /** One version of the app. */
    public Optional<AppVersion> version(String appId, long version) {
        return select("SELECT " + VERSION_COLUMNS + " FROM app_versions v WHERE v.app_id = ? AND v.version = ?",
                List.of(appId, version), 1).stream().findFirst();
    }

    /** Versions of the app, newest first, below {@code before} (null: from the latest). */
    public List<AppVersion> versions(String appId, Long before, int limit) {
        return before == null
                ? select("SELECT " + VERSION_COLUMNS + " FROM app_versions v WHERE v.app_id = ? ORDER BY v.version DESC",
                        List.of(appId), limit)
                : select("SELECT " + VERSION_COLUMNS + " FROM app_versions v WHERE v.app_id = ? AND v.version < ? "
                        + "ORDER BY v.version DESC", List.of(appId, before), limit);
    }

    /**
     * A number that moves with every write: the audit log's head, which every app write advances in
     * its transaction (refused attempts too, which only costs a needless comparison). Replicas poll
     * it cheaply and compare {@link #currentVersions()} only when it moved.
     */
    public long changeCounter() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            long seq = rs.next() ? rs.getLong(1) : 0;
            c.rollback();
            return seq;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the store's change counter: " + e.getMessage(), e);
        }
    }

    /** The latest version of every app ever written, deletions included, by id. */
    public Map<String, Long> currentVersions() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT app_id, version FROM app_current");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Long> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            c.rollback();
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the apps' versions: " + e.getMessage(), e);
        }
    }

    /** Applies one write: see the class comment. */
    public WriteResult write(AppWrite w) {
        try (Connection c = db.connection()) {
            try {
                WriteResult r = writeIn(c, w);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot write app " + w.appId() + ": " + e.getMessage(), e);
        }
    }

    private WriteResult writeIn(Connection c, AppWrite w) throws SQLException {
        AuditLog.Head head = AuditLog.lockHead(c);
        long[] cur = current(c, w.appId()); // {version, deleted 0/1} or null
        long latest = cur == null ? 0 : cur[0];
        boolean alive = cur != null && cur[1] == 0;
        WriteResult.Outcome outcome = switch (w.kind()) {
            case CREATE -> alive ? WriteResult.Outcome.STALE : WriteResult.Outcome.OK;
            case REPLACE -> alive && Long.valueOf(latest).equals(w.expected()) ? WriteResult.Outcome.OK : WriteResult.Outcome.STALE;
            case DELETE -> !alive ? WriteResult.Outcome.NOT_FOUND
                    : Long.valueOf(latest).equals(w.expected()) ? WriteResult.Outcome.OK : WriteResult.Outcome.STALE;
            case ROLLBACK -> cur == null ? WriteResult.Outcome.NOT_FOUND
                    : Long.valueOf(latest).equals(w.expected()) ? WriteResult.Outcome.OK : WriteResult.Outcome.STALE;
            case PROMOTE -> !alive ? WriteResult.Outcome.NOT_FOUND
                    : Long.valueOf(latest).equals(w.expected()) ? WriteResult.Outcome.OK : WriteResult.Outcome.STALE;
        };
        String conflict = null;
        if (outcome == WriteResult.Outcome.OK && w.routeKey() != null) {
            conflict = routeOwner(c, w.routeKey(), w.appId());
            if (conflict != null) {
                outcome = WriteResult.Outcome.ROUTE_TAKEN;
            }
        }
        long at = audit.now();
        boolean candidateGone = false;
        if (outcome == WriteResult.Outcome.OK && w.kind() == AppWrite.Kind.PROMOTE
                && !CandidateStore.promotedIn(c, w.appId(), w.rollbackFrom(), w.actor(), at)) {
            outcome = WriteResult.Outcome.STALE; // the candidate changed since the caller read it
            candidateGone = true;
        }
        AppVersion written = null;
        if (outcome == WriteResult.Outcome.OK) {
            written = insert(c, w, latest + 1, at);
            moveCurrent(c, w, latest + 1, cur != null);
        }
        AuditEntry entry = audit.append(c, head, new AuditEvent(w.actor(), w.kind().action(), w.appId(),
                w.clientAddress(), w.requestId(), outcome.label(), detail(w, latest, written, conflict, candidateGone)), at);
        return new WriteResult(outcome, written, written != null ? written.version() : latest, conflict, entry);
    }

    private static long[] current(Connection c, String appId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, deleted FROM app_current WHERE app_id = ?")) {
            ps.setString(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0} : null;
            }
        }
    }

    private static String routeOwner(Connection c, String routeKey, String appId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT app_id FROM app_current WHERE route_key = ? AND app_id <> ? AND deleted = FALSE")) {
            ps.setString(1, routeKey);
            ps.setString(2, appId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static AppVersion insert(Connection c, AppWrite w, long version, long at) throws SQLException {
        boolean deleted = w.kind() == AppWrite.Kind.DELETE;
        String document = deleted ? null : w.document();
        String hash = AuditChain.sha256(document == null ? "" : document);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_versions (app_id, version, document, deleted, "
                + "author_sub, author_idp, created_ms, comment, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, w.appId());
            ps.setLong(2, version);
            ps.setString(3, document);
            ps.setBoolean(4, deleted);
            ps.setString(5, w.actor().subject());
            ps.setString(6, w.actor().idp());
            ps.setLong(7, at);
            ps.setString(8, w.comment());
            ps.setString(9, hash);
            ps.executeUpdate();
        }
        return new AppVersion(w.appId(), version, document, deleted, w.actor(), Instant.ofEpochMilli(at), w.comment(),
                hash);
    }

    private static void moveCurrent(Connection c, AppWrite w, long version, boolean exists) throws SQLException {
        boolean deleted = w.kind() == AppWrite.Kind.DELETE;
        String sql = exists ? "UPDATE app_current SET version = ?, deleted = ?, route_key = ? WHERE app_id = ?"
                : "INSERT INTO app_current (version, deleted, route_key, app_id) VALUES (?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, version);
            ps.setBoolean(2, deleted);
            ps.setString(3, deleted ? null : w.routeKey());
            ps.setString(4, w.appId());
            ps.executeUpdate();
        }
    }

    private static String detail(AppWrite w, long latest, AppVersion written, String conflict, boolean candidateGone) {
        ObjectNode d = JSON.createObjectNode();
        d.put("expected", w.expected() == null ? "*" : Long.toString(w.expected()));
        d.put("latest", latest);
        if (written != null) {
            d.put("version", written.version());
            d.put("content_hash", written.contentHash());
        }
        if (w.rollbackFrom() != null) {
            d.put(w.kind() == AppWrite.Kind.PROMOTE ? "candidate_version" : "rollback_from", w.rollbackFrom());
        }
        if (candidateGone) {
            d.put("candidate_changed", true);
        }
        if (conflict != null) {
            d.put("route_taken_by", conflict);
        }
        if (w.comment() != null) {
            d.put("comment", w.comment());
        }
        return d.toString();
    }

    private List<AppVersion> select(String sql, List<Object> args, int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            if (limit < Integer.MAX_VALUE) {
                ps.setMaxRows(limit);
            }
            List<AppVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    out.add(new AppVersion(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4),
                            new Actor(rs.getString(5), rs.getString(6)), Instant.ofEpochMilli(rs.getLong(7)),
                            rs.getString(8), rs.getString(9)));
                }
            }
            c.rollback(); // read only
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read apps: " + e.getMessage(), e);
        }
    }
}
