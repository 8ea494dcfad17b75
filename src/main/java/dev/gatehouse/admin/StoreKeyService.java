package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.UnsealException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/store-key}: which sealing key ({@code gatehouse.store.key}) seals the secrets the
 * replicas share in the store, which keys the stored rows are sealed with, and the re-seal that
 * moves every row to the current key so the previous ones can be dropped. The ETag is the current
 * key's id: a re-seal names the key it expects to seal with, so one that reaches a replica still on
 * the old key during a rolling deploy is refused (412) instead of sealing everything back with it.
 * A re-seal is audited with the rows in one transaction; a refused one is audited here.
 */
@ApplicationScoped
public class StoreKeyService {
    private static final String READ_HINT = "GET /api/v1/store-key";
    private static final String RESEAL = "store-key.reseal";
    /** A key id as an ETag: strong ({@code "AbC-12_x"}) or bare; never {@code *} or weak. */
    private static final Pattern TAG = Pattern.compile("\"([A-Za-z0-9_-]{1,64})\"|([A-Za-z0-9_-]{1,64})");

    private final StoreKeyControl keys;
    private final AuditLog audit;

    public StoreKeyService(StoreKeyControl keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    /** The sealing keys and the rows under each. */
    public StoreKeyControl.State state() {
        return keys.state();
    }

    /**
     * Re-seals: 409 without a store key (or when a row does not unseal here), 428/400 without a
     * usable {@code If-Match}, 412 when this replica seals with another key than the caller read.
     */
    public ObjectNode reseal(String ifMatch, String ifNoneMatch, AdminRequest who) {
        StoreKeyControl.State before = keys.state();
        refusedAudited(who, () -> {
            if (!before.available()) {
                throw new ApiProblem(409, "reseal-unavailable", "Nothing is sealed with gatehouse.store.key here: "
                        + "it seals only the secrets replicas share in PostgreSQL (gatehouse.store.url).");
            }
            String expected = expectedKey(ifMatch, ifNoneMatch);
            if (!expected.equals(before.current())) {
                throw new ApiProblem(412, "precondition-failed", "This replica seals with store key "
                        + before.current() + ", not " + expected + ": during a rolling deploy, re-seal once every "
                        + "replica has the new gatehouse.store.key. " + READ_HINT + " and decide again.");
            }
            return null;
        });
        StoreKeyControl.Resealed done = refusedAudited(who, () -> {
            try {
                return keys.reseal(new Actor(who.subject(), who.idp()), who.clientAddress(), who.requestId());
            } catch (UnsealException e) {
                throw new ApiProblem(409, "unseal-failed", e.getMessage() + " Nothing was re-sealed.");
            }
        });
        ObjectNode out = view(keys.state());
        out.put("resealed", done.resealed());
        out.put("already_current", done.alreadyCurrent());
        return out;
    }

    private static String expectedKey(String ifMatch, String ifNoneMatch) {
        if (ifNoneMatch != null) {
            throw new ApiProblem(400, "invalid-precondition", "Send If-Match with the ETag of " + READ_HINT
                    + " (the current key's id), not If-None-Match.");
        }
        var m = ifMatch == null ? null : TAG.matcher(ifMatch.trim());
        if (m == null || !m.matches()) {
            throw new ApiProblem(428, "precondition-required", "Send If-Match with the ETag of " + READ_HINT
                    + " (the id of the key that will seal), so that a replica with another key does not re-seal; "
                    + "* and weak tags are refused.");
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The JSON of the state: key ids and counts, never key material. */
    static ObjectNode view(StoreKeyControl.State state) {
        ObjectNode o = Responses.object();
        o.put("available", state.available());
        o.put("current", state.current());
        var previous = o.putArray("previous");
        state.previous().forEach(previous::add);
        ObjectNode sealedBy = o.putObject("sealed_by");
        state.sealedBy().forEach(sealedBy::put);
        int pending = state.sealedBy().entrySet().stream().filter(e -> !e.getKey().equals(state.current()))
                .mapToInt(java.util.Map.Entry::getValue).sum();
        o.put("pending", pending);
        return o;
    }

    private <T> T refusedAudited(AdminRequest who, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (ApiProblem p) {
            ObjectNode detail = Responses.object().put("status", p.status()).put("detail", p.detail());
            audit.record(new AuditEvent(new Actor(who.subject(), who.idp()), RESEAL, null, who.clientAddress(),
                    who.requestId(), p.reason(), detail.toString()));
            throw p;
        }
    }
}
