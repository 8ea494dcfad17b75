package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.session.Secrets;
import dev.gatehouse.session.Session;
import dev.gatehouse.session.SessionRepository;
import dev.gatehouse.session.SignInFlow;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code /.gatehouse/logout}: a GET shows a confirmation page whose form POSTs back with the
 * session's CSRF token (a link or an image elsewhere cannot sign anyone out); the POST ends the
 * session on every replica (store and cluster notice), removes the cookie and sends the browser to
 * the IdP's {@code end_session_endpoint} with {@code id_token_hint} and a
 * {@code post_logout_redirect_uri} back to {@code /.gatehouse/logout?done}, which says it is done.
 */
@Singleton
public class SignOutEndpoint {
    private static final Logger LOG = Logger.getLogger(SignOutEndpoint.class);
    static final String PATH = AccessTarget.RESERVED_PREFIX + "logout";
    private static final int MAX_FORM = 4096;

    private final SessionRepository sessions;
    private final SessionResolver resolver;
    private final SignInEndpoints signIn;
    private final SignInFlow flow;
    private final SnapshotHolder snapshots;
    private final Answers answers;

    public SignOutEndpoint(SessionRepository sessions, SessionResolver resolver, SignInEndpoints signIn, SignInFlow flow,
                           SnapshotHolder snapshots, Answers answers) {
        this.sessions = sessions;
        this.resolver = resolver;
        this.signIn = signIn;
        this.flow = flow;
        this.snapshots = snapshots;
        this.answers = answers;
    }

    void handle(Exchange ex) {
        String handle = resolver.handle(ex.request, ex.host);
        Future<Session> found = handle == null ? Future.succeededFuture()
                : sessions.cached(handle) != null ? Future.succeededFuture(sessions.cached(handle))
                : sessions.load(handle);
        signIn.onContext(found, s -> {
            Session live = s == null || s.ended() ? null : s;
            if (ex.request.method() == HttpMethod.POST) {
                readForm(ex, form -> post(ex, live, form));
            } else {
                page(ex, 200, live == null || ex.request.getParam("done") != null
                        ? SignOutPage.signedOut(signIn.origin(ex) + "/")
                        : SignOutPage.confirm(PATH, live.csrfToken(), signedInAs(live)));
            }
        }, failure -> answers.answer(ex, 503, RequestReason.IDP_UNAVAILABLE, false));
    }

    private void post(Exchange ex, Session s, QueryStringDecoder form) {
        List<String> csrf = form.parameters().get("csrf");
        String origin = ex.request.getHeader(HttpHeaders.ORIGIN);
        if (s == null) {
            seeOther(ex, PATH + "?done");
            return;
        }
        boolean sameOrigin = origin == null || origin.equalsIgnoreCase(signIn.origin(ex));
        if (!sameOrigin || csrf == null || csrf.size() != 1 || !Secrets.same(csrf.get(0), s.csrfToken())) {
            LOG.infof("sign-out %s refused: %s", ex.requestId, sameOrigin ? "CSRF token missing or wrong" : "cross-origin");
            answers.answer(ex, 403, RequestReason.INVALID_REQUEST, false);
            return;
        }
        ex.request.response().headers().add(HttpHeaders.SET_COOKIE, resolver.cookies().clearSession(ex.host));
        IdpConfig idp = snapshots.current().config().idps().get(s.idpId());
        String idToken = s.state().idToken();
        signIn.onContext(sessions.end(s), ended -> {
            if (idp == null) {
                seeOther(ex, PATH + "?done");
                return;
            }
            signIn.onContext(flow.endSessionUrl(idp, idToken, signIn.origin(ex) + PATH + "?done"),
                    url -> seeOther(ex, url == null ? PATH + "?done" : url),
                    f -> seeOther(ex, PATH + "?done")); // signed out here; the IdP is unreachable
        }, failure -> {
            LOG.warnf("sign-out %s: the store did not confirm: %s", ex.requestId, failure.getMessage());
            answers.answer(ex, 503, RequestReason.IDP_UNAVAILABLE, false);
        });
    }

    /** Reads a small urlencoded form (413 beyond 4 KB). */
    private void readForm(Exchange ex, java.util.function.Consumer<QueryStringDecoder> then) {
        if (RequestValidator.declaredLength(ex.request) > MAX_FORM) {
            answers.answer(ex, 413, RequestReason.BODY_TOO_LARGE, true);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        ex.request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_FORM) {
                over[0] = true;
                answers.answer(ex, 413, RequestReason.BODY_TOO_LARGE, true);
                return;
            }
            body.appendBuffer(chunk);
        });
        ex.request.endHandler(v -> {
            if (!over[0]) {
                then.accept(new QueryStringDecoder(body.toString(java.nio.charset.StandardCharsets.UTF_8), false));
            }
        });
        ex.request.resume();
    }

    private static String signedInAs(Session s) {
        var id = s.caller().identity();
        return id.email() != null ? id.email() : id.subject();
    }

    private void seeOther(Exchange ex, String location) {
        HttpServerResponse resp = ex.request.response();
        resp.setStatusCode(303).putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
        answers.record(ex, Verdict.ALLOW, Reason.AUTHENTICATED_USER_OK, List.of(Reason.AUTHENTICATED_USER_OK), null, 0,
                303);
    }

    private void page(Exchange ex, int status, String html) {
        HttpServerResponse resp = ex.request.response();
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                // the confirmation page must not be framed: a click on a hidden button would sign out
                .putHeader("X-Frame-Options", "DENY")
                // no form-action: Chromium applies it to the redirect after the POST too, which goes to the IdP
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .end(html);
        if (!ex.request.isEnded()) {
            ex.request.resume();
        }
        answers.record(ex, Verdict.ALLOW, Reason.AUTHENTICATED_USER_OK, List.of(Reason.AUTHENTICATED_USER_OK), null, 0,
                status);
    }
}
