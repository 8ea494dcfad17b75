package dev.gatehouse.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.session.LoginAttempt;
import dev.gatehouse.session.RedirectGuard;
import dev.gatehouse.session.Secrets;
import dev.gatehouse.session.Session;
import dev.gatehouse.session.SessionCookies;
import dev.gatehouse.session.SessionKeys;
import dev.gatehouse.session.SessionRepository;
import dev.gatehouse.session.SignInFlow;
import dev.gatehouse.session.SignInStates;
import dev.gatehouse.session.StepUp;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Browser sign-in on Vert.x: {@code /.gatehouse/login?rd=} starts it, an unauthenticated browser on
 * a {@code browser}/{@code both} app is sent the same way ({@link #start}), and
 * {@code /.gatehouse/callback} finishes it. Each sign-in under way has its own state cookie
 * ({@link LoginAttempt}), so tabs signing in at once never overwrite each other's; the callback
 * accepts a {@code state} only with the cookie of the same browser, once, within
 * {@code gatehouse.session.login-timeout}. Destinations pass the one {@link RedirectGuard}.
 *
 * <p>A callback is single-use on every replica: this replica remembers the attempts it saw (no
 * store round trip for a replay here), and the store remembers every {@code state} used
 * ({@link SignInStates}) for the others. When the store cannot be reached (the session keys not
 * read yet, the state or the new session not recordable), the person gets a 503 plain-words page
 * ({@code sessions-unavailable}), never an unsealed session, a stack trace or "your sign-in failed".
 */
@Singleton
public class SignInEndpoints {
    private static final Logger LOG = Logger.getLogger(SignInEndpoints.class);
    static final String LOGIN = AccessTarget.RESERVED_PREFIX + "login";
    static final String CALLBACK = AccessTarget.RESERVED_PREFIX + "callback";
    /** After the session keys could not be read, how long sign-ins are answered 503 before trying again. */
    static final long KEYS_RETRY_MS = 2_000;

    private final SignInFlow flow;
    private final SignInStates states;
    private final SessionRepository sessions;
    private final SessionKeys keys;
    private final SessionResolver resolver;
    private final AccessCheck access;
    private final AdminRoutes admin;
    private final SnapshotHolder snapshots;
    private final Answers answers;
    private final ClientAddresses addresses;
    private final Vertx vertx;
    private final Clock clock;
    private final RedirectGuard guard;
    private final long loginTimeoutMs;
    private final long maxAgeMs;
    /** Attempts whose callback came already: a replayed callback on this replica is refused. */
    private final Cache<String, Boolean> spent;
    /**
     * When reading the session keys last failed (epoch ms): for a moment after, sign-ins are answered
     * 503 at once instead of each waiting on a worker for the unreachable store.
     */
    private volatile long keysFailedAtMs = Long.MIN_VALUE / 2;

    public SignInEndpoints(SignInFlow flow, SignInStates states, SessionRepository sessions, SessionKeys keys,
                           SessionResolver resolver, AccessCheck access, AdminRoutes admin, SnapshotHolder snapshots,
                           Answers answers, ClientAddresses addresses, Vertx vertx, Clock clock,
                           GatehouseSettings settings) {
        this.flow = flow;
        this.states = states;
        this.sessions = sessions;
        this.keys = keys;
        this.resolver = resolver;
        this.access = access;
        this.admin = admin;
        this.snapshots = snapshots;
        this.answers = answers;
        this.addresses = addresses;
        this.vertx = vertx;
        this.clock = clock;
        this.loginTimeoutMs = settings.session().loginTimeout().toMillis();
        this.maxAgeMs = settings.session().maxAge().toMillis();
        this.guard = new RedirectGuard(host -> admin.serves(host) || snapshots.current().routes().servesHost(host));
        this.spent = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(loginTimeoutMs + 60_000, TimeUnit.MILLISECONDS)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    RedirectGuard guard() {
        return guard;
    }

    /** {@code GET /.gatehouse/login?rd=<where to>[&prompt=login]}. */
    void login(Exchange ex) {
        String origin = origin(ex);
        String target = guard.check(orDefault(ex.request.getParam("rd"), "/"), origin);
        if (target == null) {
            answers.answer(ex, 400, RequestReason.INVALID_REQUEST, false);
            return;
        }
        URI t = URI.create(target);
        if (!t.getHost().equals(ex.host)) {
            // the session cookie must be set on the destination's host: sign in there (a checked host)
            String there = t.getScheme() + "://" + t.getRawAuthority() + LOGIN + "?rd=" + enc(target)
                    + ("login".equals(ex.request.getParam("prompt")) ? "&prompt=login" : "");
            redirect(ex, there, List.of(), Verdict.UNAUTHENTICATED);
            return;
        }
        AppRoute route = routeFor(t.getHost(), t.getRawPath());
        if (route == null || !route.app().browserLogin()) {
            ex.route = route;
            answers.answer(ex, 404, RequestReason.ROUTE_NOT_FOUND, false);
            return;
        }
        ex.route = route;
        start(ex, target, "login".equals(ex.request.getParam("prompt")) ? StepUp.SWITCH_USER : StepUp.NONE);
    }

    /** The app (or the admin route) that serves a host and raw path; null when none does. */
    AppRoute routeFor(String host, String rawPath) {
        if (admin.serves(host)) {
            return admin.current();
        }
        AccessTarget target = AccessTarget.of(host, rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
        return target == null ? null : access.route(target);
    }

    /**
     * Sends the browser to {@code ex.route}'s IdP to sign in and come back to {@code returnTo}
     * (an absolute URL on this host that passed the guard), with a fresh state cookie.
     */
    void start(Exchange ex, String returnTo, StepUp stepUp) {
        if (!keys.loaded()) {
            // Gatehouse started without its store and has not read the session keys since: read them
            // now (once in a while, not once per browser while the store stays away)
            if (clock.millis() - keysFailedAtMs < KEYS_RETRY_MS) {
                unavailable(ex, null, "the session keys are not loaded (the store did not answer)", null);
                return;
            }
            onContext(vertx.executeBlocking(() -> {
                keys.rotateIfDueAndLoad();
                return keys.loaded();
            }, false), loaded -> {
                if (loaded) {
                    startWithKeys(ex, returnTo, stepUp);
                } else {
                    unavailable(ex, null, "no session key in the store", null);
                }
            }, failure -> {
                keysFailedAtMs = clock.millis();
                unavailable(ex, null, "the session keys cannot be read", failure);
            });
            return;
        }
        startWithKeys(ex, returnTo, stepUp);
    }

    private void startWithKeys(Exchange ex, String returnTo, StepUp stepUp) {
        AppRoute route = ex.route;
        LoginAttempt attempt = LoginAttempt.start(returnTo, route.tenant(), route.id(), clock.millis(),
                stepUp.any() && stepUp != StepUp.SWITCH_USER);
        String callback = origin(ex) + CALLBACK;
        onContext(flow.authorizationUrl(route.idp(), attempt, callback, stepUp), url -> redirect(ex, url,
                List.of(SessionCookies.login(attempt.id(), attempt.seal(keys), loginTimeoutMs / 1000)),
                Verdict.UNAUTHENTICATED), failure -> {
                    LOG.warnf("sign-in for %s cannot start, IdP %s unavailable: %s", ex.requestId, route.idp().id(),
                            failure.getMessage());
                    answers.answer(ex, 502, RequestReason.IDP_UNAVAILABLE, false);
                });
    }

    /** {@code GET /.gatehouse/callback?code=&state=} (or {@code ?error=}). */
    void callback(Exchange ex) {
        String state = ex.request.getParam("state");
        int dot = state == null ? -1 : state.indexOf('.');
        String id = dot > 0 ? state.substring(0, dot) : null;
        if (id == null || !Secrets.isBase64Url(id, 16)) {
            refuse(ex, null, "callback without a valid state");
            return;
        }
        String sealed = SessionCookies.find(ex.request.headers().getAll("Cookie"), SessionCookies.LOGIN_PREFIX + id);
        if (sealed == null) {
            refuse(ex, id, "no state cookie for this sign-in in this browser");
            return;
        }
        if (!keys.knows(sealed)) {
            onContext(vertx.executeBlocking(() -> {
                keys.reload(); // sealed by another replica with a key this one has not loaded yet
                return null;
            }, false), v -> callback(ex, id, sealed, state), f -> unavailable(ex, id, "the session keys cannot be read", f));
            return;
        }
        callback(ex, id, sealed, state);
    }

    private void callback(Exchange ex, String id, String sealed, String state) {
        LoginAttempt attempt = LoginAttempt.open(id, sealed, keys);
        long now = clock.millis();
        if (attempt == null || !Secrets.same(attempt.stateParam(), state)) {
            refuse(ex, id, "state does not match this browser's sign-in");
            return;
        }
        if (now - attempt.createdMs() > loginTimeoutMs || now < attempt.createdMs() - 60_000) {
            refuse(ex, id, "sign-in took longer than the login timeout");
            return;
        }
        if (spent.asMap().putIfAbsent(attempt.id(), Boolean.TRUE) != null) {
            refuse(ex, id, "callback replayed");
            return;
        }
        // and on every other replica: the store records the state as used until the attempt is too old anyway
        onContext(states.firstUse(state, attempt.createdMs() + loginTimeoutMs + 60_000), first -> {
            if (first) {
                firstCallback(ex, id, attempt);
            } else {
                refuse(ex, id, "callback replayed (seen by another replica)");
            }
        }, failure -> unavailable(ex, id, "the callback cannot be recorded as used", failure));
    }

    private void firstCallback(Exchange ex, String id, LoginAttempt attempt) {
        String error = ex.request.getParam("error");
        String code = ex.request.getParam("code");
        if (error != null || code == null || code.isEmpty()) {
            LOG.infof("sign-in %s: the IdP answered %s", ex.requestId, error == null ? "without a code" : error);
            refuse(ex, id, null);
            return;
        }
        URI back = URI.create(attempt.returnTo());
        AppRoute route = routeFor(back.getHost(), back.getRawPath());
        if (route == null || !route.tenant().equals(attempt.tenant()) || !back.getHost().equals(ex.host)) {
            refuse(ex, id, "the app or its IdP changed during sign-in");
            return;
        }
        ex.route = route;
        long maxAge = Math.max(maxAgeMs, route.app().session().maxAge() == null ? 0
                : route.app().session().maxAge().toMillis());
        String old = resolver.handle(ex.request, ex.host);
        onContext(flow.finish(route.idp(), attempt, code, origin(ex) + CALLBACK, maxAge), session -> {
            if (attempt.stepUp()) {
                session.claimStepUp(clock.millis(), 0); // this sign-in was the step-up: not another one soon
            }
            if (old != null) {
                Session previous = sessions.cached(old);
                if (previous != null) {
                    sessions.end(previous); // one session per browser: the new sign-in replaces it
                }
            }
            redirect(ex, attempt.returnTo(), List.of(SessionCookies.clearLogin(id),
                    resolver.cookies().session(ex.host, session.handle(), maxAge / 1000)), Verdict.ALLOW);
        }, failure -> {
            if (SignInStates.storeUnavailable(failure)) {
                unavailable(ex, id, "the session cannot be stored", failure);
                return;
            }
            LOG.warnf("sign-in %s at IdP %s failed: %s", ex.requestId, route.idp().id(), failure.getMessage());
            refuse(ex, id, null);
        });
    }

    /**
     * 503 {@code sessions-unavailable} with {@code Retry-After} (the plain-words page for a person):
     * the store is out of reach, so no session can be made or trusted. One log line, no stack trace.
     */
    private void unavailable(Exchange ex, String attemptId, String why, Throwable failure) {
        LOG.warnf("sign-in %s answered 503: %s%s", ex.requestId, why,
                failure == null ? "" : " (" + failure.getMessage() + ")");
        if (attemptId != null) {
            ex.request.response().headers().add(HttpHeaders.SET_COOKIE, SessionCookies.clearLogin(attemptId));
        }
        ex.request.response().headers().set(HttpHeaders.RETRY_AFTER, "30");
        answers.answer(ex, 503, RequestReason.SESSIONS_UNAVAILABLE, false);
    }

    /** 400 {@code sign-in-failed}, the attempt's state cookie removed. */
    private void refuse(Exchange ex, String attemptId, String why) {
        if (why != null) {
            LOG.infof("sign-in callback %s refused: %s", ex.requestId, why);
        }
        if (attemptId != null) {
            ex.request.response().headers().add(HttpHeaders.SET_COOKIE, SessionCookies.clearLogin(attemptId));
        }
        answers.answer(ex, 400, RequestReason.SIGN_IN_FAILED, false);
    }

    private void redirect(Exchange ex, String location, List<String> cookies, Verdict verdict) {
        HttpServerResponse resp = ex.request.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        resp.setStatusCode(302).putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        for (String c : cookies) {
            resp.headers().add(HttpHeaders.SET_COOKIE, c);
        }
        resp.end();
        if (!ex.request.isEnded()) {
            ex.request.resume();
        }
        Reason why = verdict == Verdict.ALLOW ? Reason.AUTHENTICATED_USER_OK : Reason.USER_UNAUTHENTICATED;
        answers.record(ex, verdict, why, List.of(why), null, 0, 302);
    }

    /** {@code https://host[:port]} as the browser addressed this request. */
    String origin(Exchange ex) {
        String authority = ex.request.authority() != null ? ex.request.authority().toString()
                : ex.request.getHeader("Host");
        boolean https = ex.request.isSSL() || addresses.fromTrustedProxy(ex.peer)
                && "https".equalsIgnoreCase(ex.request.getHeader("X-Forwarded-Proto"));
        return (https ? "https://" : "http://") + authority.toLowerCase(java.util.Locale.ROOT);
    }

    /** The URL of this request as the browser asked for it. */
    String currentUrl(Exchange ex) {
        String q = ex.request.query();
        return origin(ex) + ex.request.path() + (q == null ? "" : "?" + q);
    }

    <T> void onContext(Future<T> f, Consumer<T> ok, Consumer<Throwable> failed) {
        Context context = Vertx.currentContext();
        f.onComplete(r -> {
            Runnable run = () -> {
                if (r.succeeded()) {
                    ok.accept(r.result());
                } else {
                    failed.accept(r.cause());
                }
            };
            if (context == null || Vertx.currentContext() == context) {
                run.run();
            } else {
                context.runOnContext(v -> run.run());
            }
        });
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isEmpty() ? d : v;
    }
}
