package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.StoreKeyControl;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.ClusterKeys;

/**
 * {@link StoreKeyControl} over the store's sealed rows ({@link ClusterKeys}). A re-seal changes no
 * key, only how it is sealed, so no cluster notice is sent: the other replicas read the rows again
 * at their next periodic check (the audit entry moves the change counter), and one that lacks the
 * current sealing key logs why and keeps the keys it holds until it is restarted with it.
 */
final class SealedRows implements StoreKeyControl {
    /** The audit action of a re-seal. */
    static final String RESEAL = "store-key.reseal";

    private final ClusterKeys keys;
    private final AuditLog audit;

    SealedRows(ClusterKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public State state() {
        return new State(true, keys.sealing().currentId(), keys.sealing().previousIds(), keys.sealedBy());
    }

    @Override
    public Resealed reseal(Actor who, String clientAddress, String requestId) {
        ClusterKeys.Resealed done = keys.reseal(audit, counts -> new AuditEvent(who, RESEAL, null, clientAddress,
                requestId, "ok", detail(counts)));
        return new Resealed(done.keyId(), done.resealed(), done.alreadyCurrent());
    }

    /** Key ids and counts only: never key material. */
    private static String detail(ClusterKeys.Resealed counts) {
        return "{\"key\":\"" + counts.keyId() + "\",\"resealed\":" + counts.resealed() + ",\"already_current\":"
                + counts.alreadyCurrent() + "}";
    }
}
