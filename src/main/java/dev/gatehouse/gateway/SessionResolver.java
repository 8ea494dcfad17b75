package dev.gatehouse.gateway;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.session.Secrets;
import dev.gatehouse.session.Session;
import dev.gatehouse.session.SessionCookies;
import dev.gatehouse.session.SessionRepository;
import dev.gatehouse.session.SignInFailed;
import dev.gatehouse.session.SignInFlow;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The authenticate stage for {@code login: browser} and {@code both} apps without an
 * {@code Authorization} header: the session cookie's handle, looked up in this replica's session
 * cache (a hit costs a cookie scan and a map lookup, like a verified-token cache hit), then checked
 * against the app's max age and idle timeout, and its claims renewed with the refresh token once
 * the ID token they came from expired. A request with a usable session continues with the
 * session's caller as if it had sent a verified token; anything else continues anonymous, and the
 * policy (through the gate) decides what an anonymous caller gets: usually a trip to sign-in.
 */
@Singleton
public class SessionResolver {
    private static final Logger LOG = Logger.getLogger(SessionResolver.class);
    static final int HANDLE_LENGTH = 43;

    private final SessionRepository sessions;
    private final SignInFlow flow;
    private final SessionCookies cookies;
    private final RateLimits limits;
    private final Answers answers;
    private final Clock clock;
    private final long maxAgeMs;
    private final long idleMs;

    public SessionResolver(SessionRepository sessions, SignInFlow flow, GatehouseSettings settings, RateLimits limits,
                           Answers answers, Clock clock) {
        this.sessions = sessions;
        this.flow = flow;
        this.cookies = new SessionCookies(settings.session().cookieDomain().orElse(null));
        this.limits = limits;
        this.answers = answers;
        this.clock = clock;
        this.maxAgeMs = settings.session().maxAge().toMillis();
        this.idleMs = settings.session().idleTimeout().toMillis();
    }

    SessionCookies cookies() {
        return cookies;
    }

    /** The session handle the request carries for its host, or null. */
    String handle(HttpServerRequest req, String host) {
        String name = cookies.nameFor(host);
        String v = SessionCookies.find(req.getHeader("Cookie"), name);
        if (v == null && req.version() == HttpVersion.HTTP_2) {
            v = SessionCookies.find(req.headers().getAll("Cookie"), name); // HTTP/2 may split the cookie header
        }
        return v != null && v.length() == HANDLE_LENGTH && Secrets.isBase64Url(v, HANDLE_LENGTH) ? v : null;
    }

    /** Attaches the request's session, if it has a usable one, then continues with {@code next}. */
    void resolve(Exchange ex, Handler<Exchange> next) {
        String handle = handle(ex.request, ex.host);
        if (handle == null) {
            next.handle(ex);
            return;
        }
        Session s = sessions.cached(handle);
        if (s != null) {
            check(ex, s, next, false);
            return;
        }
        if (sessions.knownAbsent(handle)) {
            next.handle(ex); // a stale or made-up cookie, already looked up
            return;
        }
        // a replica that has not seen this session reads it once; unknown handles are limited like token checks
        if (!limits.tokenChecksPerIp.tryAcquire(ex.limitAddress())) {
            answers.tooMany(ex, limits.tokenChecksPerIp);
            return;
        }
        later(sessions.load(handle), ex, next, loaded -> {
            if (loaded == null) {
                next.handle(ex);
            } else {
                check(ex, loaded, next, false);
            }
        });
    }

    private void check(Exchange ex, Session s, Handler<Exchange> next, boolean idleConfirmed) {
        AppRoute route = ex.route;
        long now = clock.millis();
        AppConfig app = route.app();
        long appMaxAge = app.session().maxAge() == null ? maxAgeMs : app.session().maxAge().toMillis();
        if (s.ended() || !s.tenant().equals(route.tenant())
                || now >= Math.min(s.expiresMs(), s.createdMs() + appMaxAge)) {
            next.handle(ex); // ended, another IdP's, or too old for this app: sign in again
            return;
        }
        long idle = app.session().idleTimeout() == null ? idleMs : app.session().idleTimeout().toMillis();
        if (now - s.lastSeenMs() > idle) {
            if (idleConfirmed) {
                next.handle(ex);
                return;
            }
            // another replica may have served it since: the store's last use decides
            later(sessions.reloadLastSeen(s), ex, next, r -> {
                if (r == null) {
                    next.handle(ex);
                } else {
                    check(ex, r, next, true);
                }
            });
            return;
        }
        if (now >= s.state().claimsExpMs()) {
            later(flow.refresh(s, route.idp()), ex, next, fresh -> attach(ex, fresh, clock.millis(), next), failure -> {
                LOG.debugf("session %s not renewed: %s", s, failure.getMessage());
                if (failure instanceof SignInFailed) {
                    sessions.end(s); // the IdP no longer vouches for it (signed out, refresh token revoked)
                }
                next.handle(ex);
            });
            return;
        }
        attach(ex, s, now, next);
    }

    private static void attach(Exchange ex, Session s, long now, Handler<Exchange> next) {
        s.seen(now);
        ex.session = s;
        ex.token = s.caller();
        next.handle(ex);
    }

    private <T> void later(Future<T> f, Exchange ex, Handler<Exchange> next, Handler<T> then) {
        later(f, ex, next, then, failure -> {
            LOG.warnf("session lookup failed for %s: %s", ex.requestId, failure.getMessage());
            next.handle(ex); // the store is unreachable: no session, fail closed
        });
    }

    private static <T> void later(Future<T> f, Exchange ex, Handler<Exchange> next, Handler<T> then,
                                  Handler<Throwable> failed) {
        Context context = Vertx.currentContext();
        f.onComplete(r -> {
            Runnable run = () -> {
                if (r.succeeded()) {
                    then.handle(r.result());
                } else {
                    failed.handle(r.cause());
                }
            };
            if (context == null || Vertx.currentContext() == context) {
                run.run();
            } else {
                context.runOnContext(v -> run.run());
            }
        });
    }
}
