package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.revoke.Revocation;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.ClusterEvents;
import dev.gatehouse.store.RevocationStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The writes of {@code /api/v1/revocations}: each is stored with its audit entry in one
 * transaction, then announced on the cluster topic {@value #TOPIC}, whose handler on every replica
 * (this one included) re-reads the revocations and re-checks open connections. An attempt refused
 * before the store is audited here, once.
 */
@ApplicationScoped
public class RevocationService {
    /** The {@link ClusterEvents} topic of revocation changes; the payload is the revocation id. */
    public static final String TOPIC = "revocation";
    private static final Pattern ID = Pattern.compile("rv-[0-9a-f]{20}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RevocationStore store;
    private final AuditLog audit;
    private final ClusterEvents events;
    private final SnapshotHolder snapshots;
    private final AppService apps;
    private final Clock clock;

    public RevocationService(RevocationStore store, AuditLog audit, ClusterEvents events, SnapshotHolder snapshots,
                             AppService apps, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.events = events;
        this.snapshots = snapshots;
        this.apps = apps;
        this.clock = clock;
    }

    /** {@code POST /revocations}. */
    public Revocation create(String contentType, InputStream in, AdminRequest who) {
        Revocation r = audited("revocation.create", who, () -> {
            byte[] bytes = apps.body(in);
            Set<String> idps = snapshots.current().config().idps().keySet();
            return RevocationRequest.read(Requests.object(contentType, bytes), idps, clock.instant(), newId(),
                    who.subject(), who.idp());
        });
        store.create(r, who.clientAddress(), who.requestId());
        events.publish(TOPIC, r.id());
        return r;
    }

    /**
     * The same revocation for a request already read (the console's form): the same checks, the
     * same store write with its audit entry, the same cluster notice.
     *
     * @param request {@code user|session|device}, {@code idp}, {@code expires}, {@code reason}; not modified
     */
    public Revocation create(Map<String, Object> request, AdminRequest who) {
        Revocation r = audited("revocation.create", who, () -> {
            Set<String> idps = snapshots.current().config().idps().keySet();
            return RevocationRequest.read(new LinkedHashMap<>(request), idps, clock.instant(), newId(), who.subject(),
                    who.idp());
        });
        store.create(r, who.clientAddress(), who.requestId());
        events.publish(TOPIC, r.id());
        return r;
    }

    /** {@code DELETE /revocations/{id}}: 404 (audited) when there is none. */
    public Revocation delete(String id, AdminRequest who) {
        audited("revocation.delete", who, () -> {
            if (id == null || !ID.matcher(id).matches()) {
                throw new ApiProblem(400, "invalid-revocation-id", "A revocation id is rv- and 20 hex digits.");
            }
            return null;
        });
        Optional<Revocation> removed = store.delete(id, new Actor(who.subject(), who.idp()), who.clientAddress(),
                who.requestId());
        if (removed.isEmpty()) {
            throw new ApiProblem(404, "not-found", "No revocation '" + id + "'.");
        }
        events.publish(TOPIC, id);
        return removed.get();
    }

    private static String newId() {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return "rv-" + HexFormat.of().formatHex(b);
    }

    private <T> T audited(String action, AdminRequest who, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (ApiProblem p) {
            ObjectNode detail = Responses.object().put("status", p.status()).put("detail", p.detail());
            if (!p.errors().isEmpty()) {
                ArrayNode errors = detail.putArray("errors");
                p.errors().stream().limit(20).forEach(e -> errors.addObject().put("path", e.path())
                        .put("message", e.message()));
            }
            audit.record(new AuditEvent(new Actor(who.subject(), who.idp()), action, null, who.clientAddress(),
                    who.requestId(), p.reason(), detail.toString()));
            throw p;
        }
    }
}
