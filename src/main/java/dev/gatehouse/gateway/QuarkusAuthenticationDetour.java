package dev.gatehouse.gateway;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * The one place that knows about Quarkus's authentication handler and its route order.
 *
 * <p>Why it exists: quarkus-oidc verifies a bearer token only through the <em>deferred identity</em>
 * that Quarkus's authentication handler (route order -200) puts in the routing context; with lazy
 * authentication that handler does nothing else. Gatehouse's pipeline runs <em>before</em> it
 * ({@link #BEFORE}, -300), so a verified-token cache hit, which is almost every request, never pays
 * for it. A cache miss therefore takes a detour: the request is passed on with {@code rc.next()}
 * through Quarkus's handler and continues right after it ({@link #AFTER}, -50) with the deferred
 * identity prepared. {@code QuarkusAuthenticationDetourTest} pins this order on a real Vert.x router.
 *
 * <p>It goes away when verification no longer needs quarkus-oidc's deferred identity (verifying with
 * the keys quarkus-oidc fetched, as the performance work plans).
 */
@Singleton
public class QuarkusAuthenticationDetour {
    /** Before Quarkus's authentication handler (order -200): cache hits never pay for it. */
    static final int BEFORE = -300;
    /** After it: where a verified-token cache miss continues, with the deferred identity prepared. */
    static final int AFTER = -50;
    private static final String CONTINUATION_KEY = "gatehouse.continuation";
    private static final String HANDED_OVER_KEY = "gatehouse.handed-over";

    /** Installs {@code pipeline} before Quarkus's authentication handler and the detour's return after it. */
    void install(Router router, Handler<RoutingContext> pipeline) {
        router.route().order(BEFORE).handler(pipeline);
        router.route().order(AFTER).handler(this::resume);
    }

    /**
     * Runs {@code then} once quarkus-oidc can verify this request: at once when the deferred identity
     * is already prepared (the request took the detour before), else after Quarkus's handler.
     */
    void withDeferredIdentity(RoutingContext rc, Runnable then) {
        if (rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY) != null) {
            then.run();
            return;
        }
        rc.put(CONTINUATION_KEY, then);
        rc.next();
    }

    /**
     * Passes a request on to the routes after Gatehouse's (the REST layer of the admin API): from
     * the first stage through Quarkus's handler and the detour's return, or from the return itself.
     * Only the admin gate does this, after the admin policy allowed the request.
     */
    void handOver(RoutingContext rc) {
        rc.put(HANDED_OVER_KEY, Boolean.TRUE);
        rc.next();
    }

    /** The return of the detour: runs the continuation the first stage left. */
    void resume(RoutingContext rc) {
        Runnable continuation = rc.get(CONTINUATION_KEY);
        if (continuation == null && rc.get(HANDED_OVER_KEY) != null) {
            rc.next();
            return;
        }
        if (continuation == null) {
            // every request is answered or handed over by the first stage; anything else is a bug
            rc.fail(500);
            return;
        }
        rc.remove(CONTINUATION_KEY);
        continuation.run();
    }
}
