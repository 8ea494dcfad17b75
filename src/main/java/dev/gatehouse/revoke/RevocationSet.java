package dev.gatehouse.revoke;

import dev.gatehouse.policy.Identity;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of revocations, indexed for the request path: a check is at most four hash
 * lookups (user at its IdP, user at any IdP, device, session) and allocates nothing beyond the
 * user key; the empty set answers at once. An entry past its expiry no longer matches, so a set
 * need not be rebuilt the moment one expires.
 */
public final class RevocationSet {
    /** No revocations. */
    public static final RevocationSet EMPTY = new RevocationSet(List.of());
    /** The IdP part of the key of a user revocation that names no IdP. */
    private static final String ANY_IDP = "";

    private final List<Revocation> all;
    private final Map<String, Revocation> users = new HashMap<>();
    private final Map<String, Revocation> devices = new HashMap<>();
    private final Map<String, Revocation> sessions = new HashMap<>();

    private RevocationSet(Collection<Revocation> revocations) {
        this.all = List.copyOf(revocations);
        for (Revocation r : all) {
            Map<String, Revocation> index = switch (r.kind()) {
                case USER -> users;
                case DEVICE -> devices;
                case SESSION -> sessions;
            };
            String key = r.kind() == Revocation.Kind.USER ? userKey(r.idp() == null ? ANY_IDP : r.idp(), r.target())
                    : r.target();
            // two revocations of the same target: the one that lasts longer decides
            index.merge(key, r, (a, b) -> a.expires().isAfter(b.expires()) ? a : b);
        }
    }

    /** A set of these revocations (expired ones included; they simply never match). */
    public static RevocationSet of(Collection<Revocation> revocations) {
        return revocations.isEmpty() ? EMPTY : new RevocationSet(revocations);
    }

    private static String userKey(String idp, String subject) {
        return idp + '\u0000' + subject;
    }

    /**
     * The revocation that locks out this caller at {@code nowMillis}, or null.
     *
     * @param idp       id of the IdP that vouched for the caller
     * @param identity  the caller (its {@code sub} and device id are looked up); may be null
     * @param sessionId the caller's browser session id, or null for a bearer token
     */
    public Revocation match(String idp, Identity identity, String sessionId, long nowMillis) {
        if (all.isEmpty()) {
            return null;
        }
        Revocation hit = null;
        if (identity != null) {
            String sub = identity.subject();
            if (sub != null && !users.isEmpty()) {
                hit = active(users.get(userKey(idp, sub)), nowMillis);
                if (hit == null) {
                    hit = active(users.get(userKey(ANY_IDP, sub)), nowMillis);
                }
            }
            String device = identity.device().id();
            if (hit == null && device != null && !devices.isEmpty()) {
                hit = active(devices.get(device), nowMillis);
            }
        }
        if (hit == null && sessionId != null && !sessions.isEmpty()) {
            hit = active(sessions.get(sessionId), nowMillis);
        }
        return hit;
    }

    private static Revocation active(Revocation r, long nowMillis) {
        return r != null && r.activeAt(nowMillis) ? r : null;
    }

    /** Number of revocations still in force at {@code nowMillis}. */
    public int activeCount(long nowMillis) {
        int n = 0;
        for (Revocation r : all) {
            if (r.activeAt(nowMillis)) {
                n++;
            }
        }
        return n;
    }

    /** Every revocation of the set, in the order given. */
    public List<Revocation> all() {
        return all;
    }
}
