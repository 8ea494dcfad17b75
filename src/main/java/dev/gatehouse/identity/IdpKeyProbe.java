package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches every configured IdP's discovery document and JWKS at startup (retrying every 250 ms until
 * the first success), then once a minute (every 2 s while it fails), so that readiness can say whether each IdP's keys were
 * ever fetched and whether the IdP answers now. quarkus-oidc keeps doing the fetching that token
 * checks use; this probe only observes, with its own requests, so a cold or broken IdP shows before
 * the first user gets a 401.
 *
 * <p>An IdP's first fetch goes through Vert.x's HTTP client ({@link VertxIdpDocuments}: cheap at
 * startup); every later one through the JDK's ({@link JdkIdpDocuments}), which shares no code with
 * the data plane's forwarding, so a re-check never throws away the JIT's compiled forwarding path.
 */
@Singleton
public class IdpKeyProbe {
    /** A never-fetched IdP is tried this often: readiness waits on it. */
    private static final long TICK_MILLIS = 250;
    private static final long FAILING_RETRY_MILLIS = 2_000;
    private static final long HEALTHY_RECHECK_MILLIS = 60_000;

    /**
     * What the probe knows of one IdP.
     *
     * @param fetchedOnce   whether its keys were fetched at least once since start
     * @param reachable     whether the latest attempt succeeded
     * @param keys          number of keys in the latest JWKS fetched
     * @param lastAttemptMs clock millis of the latest attempt
     * @param lastError     why the latest attempt failed, or null
     */
    public record IdpState(boolean fetchedOnce, boolean reachable, int keys, long lastAttemptMs, String lastError) {
        static final IdpState NEVER = new IdpState(false, false, 0, 0, "not tried yet");
    }

    private final Vertx vertx;
    private final SnapshotHolder snapshots;
    private final Clock clock;
    private final JwksKeys keys;
    private final Map<String, IdpState> states = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    /** How an IdP's documents are fetched until its keys were fetched once. */
    private final IdpDocuments firstFetch;
    /** How they are fetched after that, while the data plane serves. */
    private final IdpDocuments recheck;
    /** The one context every tick runs on (the timer's and {@link #configInForce}'s), so ticks never overlap. */
    private final Context context;
    private volatile long timer = -1;

    @Inject
    public IdpKeyProbe(Vertx vertx, SnapshotHolder snapshots, Clock clock, JwksKeys keys) {
        this(vertx, snapshots, clock, keys, vertx.getOrCreateContext());
    }

    private IdpKeyProbe(Vertx vertx, SnapshotHolder snapshots, Clock clock, JwksKeys keys, Context context) {
        this(vertx, snapshots, clock, keys, context, new VertxIdpDocuments(vertx), new JdkIdpDocuments(context));
    }

    /** With other fetchers (tests); ticks run on {@code context}. */
    IdpKeyProbe(Vertx vertx, SnapshotHolder snapshots, Clock clock, JwksKeys keys, Context context,
                IdpDocuments firstFetch, IdpDocuments recheck) {
        this.vertx = vertx;
        this.snapshots = snapshots;
        this.clock = clock;
        this.keys = keys;
        this.context = context;
        this.firstFetch = firstFetch;
        this.recheck = recheck;
    }

    void start(@Observes StartupEvent event) {
        context.runOnContext(v -> timer = vertx.setPeriodic(1, TICK_MILLIS, id -> tick()));
    }

    /**
     * The config in force was just put in place at startup ({@code lifecycle.ConfigBootstrap}):
     * fetches its IdPs' keys now, on the probe's event loop, instead of at the next tick. Readiness
     * waits for that fetch; started here it runs beside the rest of the boot (the remaining
     * {@code StartupEvent} observers, the sockets opening) rather than after it, and never waits
     * for a tick (up to 250 ms). A fetch already under way for an IdP is not started twice.
     */
    public void configInForce() {
        context.runOnContext(v -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The state of every IdP of the current config (IdPs removed from the config are forgotten). */
    public Map<String, IdpState> states() {
        Map<String, IdpState> out = new java.util.TreeMap<>();
        for (IdpConfig idp : snapshots.current().config().idps().values()) {
            out.put(idp.id(), states.getOrDefault(idp.tenantId(), IdpState.NEVER));
        }
        return out;
    }

    private void tick() {
        long now = clock.millis();
        java.util.Set<String> tenants = new java.util.HashSet<>();
        for (IdpConfig idp : snapshots.current().config().idps().values()) {
            String key = idp.tenantId();
            tenants.add(key);
            IdpState s = states.getOrDefault(key, IdpState.NEVER);
            long since = now - s.lastAttemptMs();
            // a token named a kid the keys lack (rotation): fetch again now rather than in a minute
            boolean due = !s.fetchedOnce() || since >= (s.reachable() ? HEALTHY_RECHECK_MILLIS : FAILING_RETRY_MILLIS)
                    || keys.takeRefresh(key, now, s.lastAttemptMs());
            if (due && inFlight.putIfAbsent(key, Boolean.TRUE) == null) {
                fetchKeys(idp, s.fetchedOnce() ? recheck : firstFetch).onComplete(done -> {
                    inFlight.remove(key);
                    IdpState previous = states.getOrDefault(key, IdpState.NEVER);
                    states.put(key, done.succeeded()
                            ? new IdpState(true, true, done.result(), clock.millis(), null)
                            : new IdpState(previous.fetchedOnce(), false, previous.keys(), clock.millis(),
                                    String.valueOf(done.cause().getMessage())));
                });
            }
        }
        keys.retain(tenants);
    }

    /** Discovery, then the JWKS it names; succeeds with the number of keys (at least one). */
    private Future<Integer> fetchKeys(IdpConfig idp, IdpDocuments documents) {
        String issuer = idp.issuer().endsWith("/") ? idp.issuer().substring(0, idp.issuer().length() - 1) : idp.issuer();
        return documents.get(idp, issuer + "/.well-known/openid-configuration").compose(discovery -> {
            String jwksUri = discovery.getString("jwks_uri");
            if (jwksUri == null) {
                return Future.failedFuture("discovery document has no jwks_uri");
            }
            return documents.get(idp, jwksUri);
        }).compose(jwks -> {
            JsonArray published = jwks.getJsonArray("keys");
            if (published == null || published.isEmpty()) {
                return Future.failedFuture("JWKS has no keys");
            }
            keys.update(idp.tenantId(), jwks.encode()); // for the local verification of new tokens
            return Future.succeededFuture(published.size());
        });
    }
}
