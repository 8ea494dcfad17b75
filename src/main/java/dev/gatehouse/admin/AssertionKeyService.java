package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@code /api/v1/assertion-keys}: the keys that sign {@code X-Gatehouse-Assertion}, and their
 * rotation. The key set's version is the number of keys in the store (a rotation adds one, none is
 * ever removed: upstreams may still hold assertions signed by an older one), so a rotation names
 * the version it read and two admins rotating at once make one new key. A rotation is audited with
 * the new key in one transaction; a refused one is audited here.
 */
@ApplicationScoped
public class AssertionKeyService {
    private static final String READ_HINT = "GET /api/v1/assertion-keys";

    private final AssertionKeyControl keys;
    private final AuditLog audit;

    public AssertionKeyService(AssertionKeyControl keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    /** The key set, with its version. */
    public AssertionKeyControl.KeySet current() {
        return keys.current();
    }

    /**
     * Rotates: 409 without shared keys, 428/400 without a usable {@code If-Match}, 412 when someone
     * rotated since the caller read.
     *
     * @return the key set after the rotation (the new key first)
     */
    public AssertionKeyControl.KeySet rotate(String ifMatch, String ifNoneMatch, AdminRequest who) {
        long expected = refusedAudited(who, () -> {
            if (!keys.current().rotatable()) {
                throw new ApiProblem(409, "rotation-unavailable", "The assertion keys are files in this replica's data "
                        + "directory (embedded store, or gatehouse.assertion.key-file): add a newer key file and "
                        + "restart. Rotation through the API needs the shared store (PostgreSQL).");
            }
            return Preconditions.ifMatchVersion(ifMatch, ifNoneMatch, READ_HINT);
        });
        Optional<String> kid = expected > Integer.MAX_VALUE ? Optional.empty()
                : keys.rotate((int) expected, new Actor(who.subject(), who.idp()), who.clientAddress(), who.requestId());
        AssertionKeyControl.KeySet now = keys.current();
        if (kid.isEmpty()) {
            refusedAudited(who, () -> {
                throw new ApiProblem(412, "precondition-failed", "The key set is at version " + now.version()
                        + ", not " + expected + ": someone rotated meanwhile. " + READ_HINT + " and decide again.");
            });
        }
        return now;
    }

    /** The JSON of a key set. */
    static ObjectNode view(AssertionKeyControl.KeySet set) {
        ObjectNode o = Responses.object();
        o.put("rotatable", set.rotatable());
        o.put("signing", set.published().isEmpty() ? null : set.published().get(0));
        ArrayNode published = o.putArray("published");
        set.published().forEach(published::add);
        o.put("version", set.version());
        return o;
    }

    private <T> T refusedAudited(AdminRequest who, java.util.function.Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (ApiProblem p) {
            ObjectNode detail = Responses.object().put("status", p.status()).put("detail", p.detail());
            audit.record(new AuditEvent(new Actor(who.subject(), who.idp()), "assertion-key.rotate", null,
                    who.clientAddress(), who.requestId(), p.reason(), detail.toString()));
            throw p;
        }
    }
}
