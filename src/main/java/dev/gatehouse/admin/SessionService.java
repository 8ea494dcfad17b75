package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.session.SessionRepository;
import dev.gatehouse.session.SessionSummary;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code /api/v1/sessions} does: lists a user's stored browser sessions and ends one on every
 * replica. An end is written with its audit entry in one transaction ({@code session.delete}),
 * then announced on the session topic, so every replica drops the session and closes what is open
 * on it; a refused attempt (a malformed id) is audited here, once.
 */
@ApplicationScoped
public class SessionService {
    /** A session id: the SHA-256 (hex) of the cookie's handle. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    /** Longer than any IdP's {@code sub} we know of; bounds what is hashed per configured IdP. */
    private static final int MAX_SUBJECT = 255;

    private final SessionRepository sessions;
    private final AuditLog audit;
    private final SnapshotHolder snapshots;

    public SessionService(SessionRepository sessions, AuditLog audit, SnapshotHolder snapshots) {
        this.sessions = sessions;
        this.audit = audit;
        this.snapshots = snapshots;
    }

    /**
     * {@code GET /sessions?user=<sub>[&idp=<id>]} or {@code ?email=<address>}: the user's unexpired
     * sessions, newest first. Sessions are found by digests (the store keeps no subject or email in
     * clear), so one of the two is required: a user at the named IdP or, without one, at every
     * configured IdP; an email (verified, any case) at every IdP.
     */
    public List<SessionSummary> list(String user, String email, String idp) {
        if (email != null && !email.isBlank()) {
            if (user != null || idp != null) {
                throw new ApiProblem(400, "user-or-email", "Search by ?user=<sub>[&idp=<IdP id>] or by ?email=<address>, "
                        + "not both.");
            }
            if (email.length() > MAX_SUBJECT || email.indexOf('@') < 1) {
                throw new ApiProblem(400, "invalid-email", "An email is an address with an @, at most " + MAX_SUBJECT
                        + " characters.");
            }
            return sessions.listByEmail(email.trim());
        }
        if (user == null || user.isBlank()) {
            throw new ApiProblem(400, "user-required", "Name the user: ?user=<sub> (their subject at the IdP), "
                    + "optionally with &idp=<IdP id>, or ?email=<address>.");
        }
        if (user.length() > MAX_SUBJECT) {
            throw new ApiProblem(400, "invalid-user", "A user (sub) is at most " + MAX_SUBJECT + " characters.");
        }
        Set<String> configured = snapshots.current().config().idps().keySet();
        if (idp != null && !configured.contains(idp)) {
            throw new ApiProblem(400, "unknown-idp", "No IdP '" + idp + "' is configured.");
        }
        return sessions.listBySubject(user, idp != null ? List.of(idp) : configured);
    }

    /** {@code DELETE /sessions/{id}}: 404 (audited) when there is none. */
    public void end(String id, AdminRequest who) {
        Actor actor = new Actor(who.subject(), who.idp());
        if (id == null || !ID.matcher(id).matches()) {
            ObjectNode detail = Responses.object().put("status", 400)
                    .put("detail", "A session id is 64 lowercase hex digits.");
            audit.record(new AuditEvent(actor, "session.delete", null, who.clientAddress(), who.requestId(),
                    "invalid-session-id", detail.toString()));
            throw new ApiProblem(400, "invalid-session-id", "A session id is 64 lowercase hex digits.");
        }
        if (!sessions.endSessionAudited(id, audit, actor, who.clientAddress(), who.requestId())) {
            throw new ApiProblem(404, "not-found", "No session '" + id + "' (ended, expired, or never made).");
        }
    }
}
