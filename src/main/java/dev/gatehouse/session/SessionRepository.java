package dev.gatehouse.session;

import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.store.ClusterEvents;
import dev.gatehouse.store.SessionRow;
import dev.gatehouse.store.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Browser sessions: kept in the store (state encrypted with {@link SessionKeys}) so any replica
 * serves any session, and cached in memory on each replica so that a request with a known session
 * costs a map lookup ({@link #cached}), never a store read. A replica that has not seen a session
 * yet loads it once ({@link #load}, worker thread). Changes reach every replica through
 * {@link ClusterEvents} (topic {@value #TOPIC}): {@code end:<id>} drops the session everywhere
 * (open connections on it are closed by the {@link #onEnded} listeners), {@code update:<id>}
 * reloads it (after a token refresh on another replica).
 *
 * <p><b>Public API for sign-out and back-channel logout</b> (call from a worker thread, never an
 * event loop; each returns once the session is gone from the store and the notice is published):
 * {@link #endSession(String)}, {@link #endBySid(String, String)},
 * {@link #endBySubject(String, String)}. The IdP's {@code sid} of a session is its ID token's
 * {@code sid} claim ({@link SessionState#sid()}).
 */
public final class SessionRepository {
    /** The {@link ClusterEvents} topic of session changes. */
    public static final String TOPIC = "session";
    private static final Logger LOG = Logger.getLogger(SessionRepository.class);
    static final String STATE_PURPOSE = "gatehouse-session:";

    private final SessionStore store;
    private final SessionKeys keys;
    private final ClusterEvents events;
    private final Vertx vertx;
    private final Clock clock;
    private final Function<String, IdpConfig> idps;
    /** Cached sessions by handle (the hot path) and by id (notices). */
    private final Map<String, Session> byHandle = new ConcurrentHashMap<>();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final List<Consumer<Session>> endListeners = new CopyOnWriteArrayList<>();
    /**
     * Handles the store did not know, for a few minutes: a browser with a stale cookie on an app
     * that lets anyone in costs one store read, not one per request. A new session's handle is
     * random, so it is never in here.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> absent =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(50_000)
                    .expireAfterWrite(java.time.Duration.ofMinutes(5)).executor(Runnable::run).build();

    /**
     * @param idps the IdP in force with this id, or null (a session of an IdP no longer configured is refused)
     */
    public SessionRepository(SessionStore store, SessionKeys keys, ClusterEvents events, Vertx vertx, Clock clock,
                             Function<String, IdpConfig> idps) {
        this.store = store;
        this.keys = keys;
        this.events = events;
        this.vertx = vertx;
        this.clock = clock;
        this.idps = idps;
        events.subscribe(TOPIC, this::onNotice);
    }

    /** The session with this handle if this replica holds it, else null (then {@link #load}). No I/O. */
    public Session cached(String handle) {
        return byHandle.get(handle);
    }

    /** Whether the store recently had no session with this handle (then there is no need to ask again). */
    public boolean knownAbsent(String handle) {
        return absent.getIfPresent(handle) != null;
    }

    /** Loads the session with this handle from the store (worker thread); null when there is none. */
    public Future<Session> load(String handle) {
        return vertx.executeBlocking(() -> {
            Session known = byHandle.get(handle);
            if (known != null) {
                return known;
            }
            SessionRow row = store.find(Secrets.sha256Hex(handle), clock.millis()).orElse(null);
            Session s = row == null ? null : fromRow(handle, row);
            if (s == null) {
                absent.put(handle, Boolean.TRUE);
            } else {
                Session raced = byHandle.putIfAbsent(handle, s);
                if (raced != null) {
                    return raced;
                }
                byId.put(s.id(), s);
            }
            return s;
        }, false);
    }

    /** Builds a session from its row; null when its state cannot be read or its IdP changed. */
    private Session fromRow(String handle, SessionRow row) {
        if (!keys.knows(row.state())) {
            keys.reload(); // a key made by another replica since this one loaded them
        }
        String json = keys.open(row.state(), STATE_PURPOSE + row.id());
        IdpConfig idp = idps.apply(row.idpId());
        if (json == null || idp == null) {
            LOG.debugf("session %s unreadable or its IdP is gone", row.id().substring(0, 12));
            return null;
        }
        StoredState stored = StoredState.fromJson(json);
        if (!stored.tenant().equals(idp.tenantId())) {
            return null; // made with other IdP settings (issuer, audience, client): proves nothing now
        }
        Session s = new Session(handle, row.id(), idp, row.createdMs(), row.expiresMs(), row.lastSeenMs(),
                stored.state());
        s.madeFor(stored.app(), stored.host());
        return s;
    }

    /** Makes and stores a new session (worker thread) and caches it here; where it was made is not recorded. */
    public Future<Session> create(IdpConfig idp, SessionState state, long maxAgeMs) {
        return create(idp, state, maxAgeMs, null, null);
    }

    /**
     * Makes and stores a new session (worker thread) and caches it here.
     *
     * @param appId the app the person signed in for (or the admin app id), shown to admins; may be null
     * @param host  the host the sign-in ended on (the cookie's host or under its domain); may be null
     */
    public Future<Session> create(IdpConfig idp, SessionState state, long maxAgeMs, String appId, String host) {
        return vertx.executeBlocking(() -> {
            long now = clock.millis();
            String handle = Secrets.random(32);
            String id = Secrets.sha256Hex(handle);
            Session s = new Session(handle, id, idp, now, now + maxAgeMs, now, state);
            String sealed = keys.seal(new StoredState(idp.tenantId(), state, appId, host).toJson(), STATE_PURPOSE + id);
            // the key id of the sealed value itself, not a second read of the current key: a reload
            // in between would name a key the state is not sealed with, and the key's retirement
            // (SessionKeys.retireUnused) goes by this column
            store.insert(new SessionRow(id, idp.id(), subjectHash(idp.id(), state.subject()),
                    sidHash(idp.id(), state.sid()), now, now + maxAgeMs, now, SessionKeys.keyIdOf(sealed), sealed,
                    emailHash(s.caller().identity())));
            s.madeFor(appId, host);
            byHandle.put(handle, s);
            byId.put(id, s);
            return s;
        }, false);
    }

    /** Saves refreshed claims and tokens (worker thread) and tells the other replicas. */
    public Future<Session> replaceState(Session s, SessionState next, IdpConfig idp) {
        return vertx.executeBlocking(() -> {
            String sealed = keys.seal(new StoredState(idp.tenantId(), next, s.appId(), s.host()).toJson(),
                    STATE_PURPOSE + s.id());
            long now = clock.millis();
            String email = emailHash(IdentityFactory.fromClaims(next.claims(), idp.claims(), idp.trustEmail()));
            if (!store.replaceState(s.id(), sidHash(idp.id(), next.sid()), email, SessionKeys.keyIdOf(sealed), sealed,
                    now)) {
                drop(s.id()); // ended meanwhile, elsewhere
                throw new SignInFailed("the session ended while it was refreshed");
            }
            s.replace(next, idp);
            s.seenFromStore(now);
            events.publish(TOPIC, "update:" + s.id());
            return s;
        }, false);
    }

    /** Re-reads a cached session's last use from the store (another replica may have served it since). */
    public Future<Session> reloadLastSeen(Session s) {
        return vertx.executeBlocking(() -> {
            SessionRow row = store.find(s.id(), clock.millis()).orElse(null);
            if (row == null) {
                drop(s.id());
                return null;
            }
            s.seenFromStore(row.lastSeenMs());
            return s;
        }, false);
    }

    /** Ends one session everywhere. Worker thread. @return whether it existed */
    public boolean endSession(String id) {
        boolean existed = store.delete(id);
        events.publish(TOPIC, "end:" + id);
        return existed;
    }

    /**
     * The unexpired sessions of {@code subject} at each IdP of {@code idpIds}, newest first, as an
     * admin may see them ({@link SessionSummary}: never the handle or tokens). Reads the store (the
     * last use of a session this replica serves is its own, fresher figure). Worker thread.
     */
    public List<SessionSummary> listBySubject(String subject, java.util.Collection<String> idpIds) {
        long now = clock.millis();
        List<SessionSummary> found = new ArrayList<>();
        for (String idpId : idpIds) {
            for (SessionRow row : store.findBySubject(subjectHash(idpId, subject), now)) {
                found.add(summary(row, subject));
            }
        }
        found.sort(java.util.Comparator.comparingLong(SessionSummary::createdMs).reversed()
                .thenComparing(SessionSummary::id));
        return found;
    }

    /**
     * The unexpired sessions whose identity carries {@code email} (verified, compared without case),
     * at every IdP, newest first; sessions made before Gatehouse recorded emails are not found.
     * Worker thread.
     */
    public List<SessionSummary> listByEmail(String email) {
        List<SessionSummary> found = new ArrayList<>();
        for (SessionRow row : store.findByEmail(emailHash(email), clock.millis())) {
            found.add(summary(row, null));
        }
        return found;
    }

    /** @param subject the subject searched for, or null to read it from the session's state */
    private SessionSummary summary(SessionRow row, String subject) {
        if (!keys.knows(row.state())) {
            keys.reload();
        }
        String json = keys.open(row.state(), STATE_PURPOSE + row.id());
        StoredState stored = json == null ? null : StoredState.fromJson(json);
        IdpConfig idp = idps.apply(row.idpId());
        String email = null;
        String device = null;
        if (stored != null && idp != null) {
            try {
                dev.gatehouse.policy.Identity who = dev.gatehouse.policy.IdentityFactory.fromClaims(
                        stored.state().claims(), idp.claims(), idp.trustEmail());
                email = who.email();
                device = who.device().id();
            } catch (RuntimeException e) {
                LOG.debugf("session %s: claims no longer map to an identity (%s)", row.id().substring(0, 12),
                        e.getMessage());
            }
        }
        Session cachedHere = byId.get(row.id());
        long lastSeen = Math.max(row.lastSeenMs(), cachedHere == null ? 0 : cachedHere.lastSeenMs());
        if (subject == null && stored != null) {
            subject = stored.state().subject();
        }
        return new SessionSummary(row.id(), row.idpId(), subject, email, device,
                stored == null ? null : stored.app(), stored == null ? null : stored.host(),
                row.createdMs(), lastSeen, row.expiresMs(), stored != null);
    }

    /**
     * Ends one session everywhere because an admin asked, with its audit entry
     * ({@code session.delete}) written in the same transaction as the delete. Worker thread.
     *
     * @return whether it existed
     */
    public boolean endSessionAudited(String id, dev.gatehouse.store.AuditLog audit, dev.gatehouse.store.Actor actor,
                                     String clientAddress, String requestId) {
        boolean existed = store.deleteAudited(id, audit, actor, clientAddress, requestId);
        if (existed) {
            events.publish(TOPIC, "end:" + id);
        }
        return existed;
    }

    /** Ends every session of IdP {@code idpId} whose ID token had this {@code sid}. Worker thread. @return how many */
    public int endBySid(String idpId, String sid) {
        return ended(store.deleteBySid(sidHash(idpId, sid)));
    }

    /** Ends every session of this subject at IdP {@code idpId}. Worker thread. @return how many */
    public int endBySubject(String idpId, String subject) {
        return ended(store.deleteBySubject(subjectHash(idpId, subject)));
    }

    /** Ends a session from an event loop (sign-out, failed refresh): the store work runs on a worker. */
    public Future<Boolean> end(Session s) {
        drop(s.id()); // at once here, before the store confirms: this replica never serves it again
        return vertx.executeBlocking(() -> endSession(s.id()), false);
    }

    private int ended(List<String> ids) {
        for (String id : ids) {
            events.publish(TOPIC, "end:" + id);
        }
        return ids.size();
    }

    /** Runs {@code listener} for every session that ends while cached here (any replica ended it). */
    public void onEnded(Consumer<Session> listener) {
        endListeners.add(listener);
    }

    private void onNotice(String payload) {
        if (payload.startsWith("end:")) {
            drop(payload.substring(4));
        } else if (payload.startsWith("update:")) {
            Session s = byId.get(payload.substring(7));
            if (s != null) {
                SessionRow row = store.find(s.id(), clock.millis()).orElse(null);
                Session fresh = row == null ? null : fromRow(s.handle(), row);
                if (fresh == null) {
                    drop(s.id());
                } else if (fresh.state() != null && !fresh.state().equals(s.state())) {
                    s.replace(fresh.state(), idps.apply(s.idpId()));
                    s.seenFromStore(row.lastSeenMs());
                }
            }
        }
    }

    private void drop(String id) {
        Session s = byId.remove(id);
        if (s == null) {
            return;
        }
        byHandle.remove(s.handle(), s);
        s.end();
        for (Consumer<Session> l : endListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.errorf(e, "session-ended listener failed");
            }
        }
    }

    /**
     * Housekeeping (worker thread, about once a minute): writes the last use of sessions whose stored
     * value lags, forgets cached sessions that expired or idled, deletes expired rows.
     *
     * @param idleMs the longest idle timeout of any app: a session idle longer is dropped from the cache
     */
    public void maintain(long idleMs) {
        long now = clock.millis();
        List<Session> drop = new ArrayList<>();
        for (Session s : byId.values()) {
            if (s.expiresMs() <= now || now - s.lastSeenMs() > idleMs) {
                drop.add(s);
            } else if (s.lastSeenMs() - s.storedLastSeenMs > 30_000) {
                store.touch(s.id(), s.lastSeenMs());
                s.storedLastSeenMs = s.lastSeenMs();
            }
        }
        for (Session s : drop) {
            byId.remove(s.id(), s);
            byHandle.remove(s.handle(), s);
        }
        store.deleteExpired(now);
    }

    /** Sessions in the store that have not expired (the {@code gatehouse_sessions_active} gauge). Worker thread. */
    public long countActive() {
        return store.countActive(clock.millis());
    }

    /** Sessions cached on this replica (tests). */
    public int cachedCount() {
        return byId.size();
    }

    static String subjectHash(String idpId, String subject) {
        return Secrets.sha256Hex("sub:" + idpId + ":" + subject);
    }

    /** The digest an identity's email is found by; null when it has no verified email. */
    static String emailHash(Identity identity) {
        return identity.email() == null || identity.emailUnverified() ? null : emailHash(identity.email());
    }

    static String emailHash(String email) {
        return Secrets.sha256Hex("email:" + email.toLowerCase(java.util.Locale.ROOT));
    }

    static String sidHash(String idpId, String sid) {
        return sid == null ? null : Secrets.sha256Hex("sid:" + idpId + ":" + sid);
    }

    /**
     * What is sealed in a row: the state plus the IdP settings it was made under, and the app and
     * host of the sign-in (for admins; absent in sessions made before they were recorded).
     */
    private record StoredState(String tenant, SessionState state, String app, String host) {
        String toJson() {
            io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject().put("tenant", tenant)
                    .put("state", state.toJson());
            if (app != null) {
                o.put("app", app);
            }
            if (host != null) {
                o.put("host", host);
            }
            return o.encode();
        }

        static StoredState fromJson(String json) {
            io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject(json);
            return new StoredState(o.getString("tenant"), SessionState.fromJson(o.getString("state")),
                    o.getString("app"), o.getString("host"));
        }
    }
}
