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
 * {@code /api/v1/assertion-keys}: the keys that sign {@code X-Gatehouse-Assertion}, their rotation
 * and the retirement of old ones. The key set's version counts every change (a rotation adds a key,
 * a retirement retires one; both add one), so a change names the version it read and two admins
 * rotating at once make one new key. Older keys stay published after a rotation (upstreams may
 * still hold assertions signed by them) until an admin retires them. A change is audited with the
 * change in one transaction; a refused one is audited here.
 */
@ApplicationScoped
public class AssertionKeyService {
    private static final String READ_HINT = "GET /api/v1/assertion-keys";
    private static final String ROTATE = "assertion-key.rotate";
    private static final String RETIRE = "assertion-key.retire";

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
        long expected = refusedAudited(who, ROTATE, () -> expectedVersion(ifMatch, ifNoneMatch));
        Optional<String> kid = expected > Integer.MAX_VALUE ? Optional.empty()
                : keys.rotate((int) expected, new Actor(who.subject(), who.idp()), who.clientAddress(), who.requestId());
        AssertionKeyControl.KeySet now = keys.current();
        if (kid.isEmpty()) {
            refusedAudited(who, ROTATE, () -> {
                throw stale(now, expected);
            });
        }
        return now;
    }

    /**
     * Retires key {@code kid}: 409 without shared keys or when it is the key that signs, 404 when no
     * live key has that id, 428/400 without a usable {@code If-Match}, 412 when the key set changed
     * since the caller read it.
     *
     * @return the key set after the retirement
     */
    public AssertionKeyControl.KeySet retire(String kid, String ifMatch, String ifNoneMatch, AdminRequest who) {
        long expected = refusedAudited(who, RETIRE, () -> expectedVersion(ifMatch, ifNoneMatch));
        AssertionKeyControl.Retirement outcome = expected > Integer.MAX_VALUE ? AssertionKeyControl.Retirement.STALE
                : keys.retire(kid, (int) expected, new Actor(who.subject(), who.idp()), who.clientAddress(),
                        who.requestId());
        AssertionKeyControl.KeySet now = keys.current();
        refusedAudited(who, RETIRE, () -> {
            switch (outcome) {
                case RETIRED -> {
                    return null;
                }
                case STALE -> throw stale(now, expected);
                case UNKNOWN -> throw new ApiProblem(404, "not-found", "No published assertion key '" + kid
                        + "' in the store (retired already, or never one). " + READ_HINT + " lists them.");
                case SIGNING -> throw new ApiProblem(409, "signing-key", "Key '" + kid + "' signs the assertions now; "
                        + "rotate first (POST /api/v1/assertion-keys/rotate), then retire it.");
                default -> throw new IllegalStateException(outcome.name());
            }
        });
        return now;
    }

    private long expectedVersion(String ifMatch, String ifNoneMatch) {
        if (!keys.current().rotatable()) {
            throw new ApiProblem(409, "rotation-unavailable", "The assertion keys are files in this replica's data "
                    + "directory (embedded store, or gatehouse.assertion.key-file): add or remove key files and "
                    + "restart. Changing them through the API needs the shared store (PostgreSQL).");
        }
        return Preconditions.ifMatchVersion(ifMatch, ifNoneMatch, READ_HINT);
    }

    private static ApiProblem stale(AssertionKeyControl.KeySet now, long expected) {
        return new ApiProblem(412, "precondition-failed", "The key set is at version " + now.version() + ", not "
                + expected + ": someone changed it meanwhile. " + READ_HINT + " and decide again.");
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

    private <T> T refusedAudited(AdminRequest who, String action, java.util.function.Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (ApiProblem p) {
            ObjectNode detail = Responses.object().put("status", p.status()).put("detail", p.detail());
            audit.record(new AuditEvent(new Actor(who.subject(), who.idp()), action, null,
                    who.clientAddress(), who.requestId(), p.reason(), detail.toString()));
            throw p;
        }
    }
}
