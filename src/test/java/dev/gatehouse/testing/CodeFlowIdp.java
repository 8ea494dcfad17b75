package dev.gatehouse.testing;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The browser side of {@link TestIdp}: an authorization endpoint that signs in whoever the test
 * says (no login form: it answers with the redirect a real IdP sends after its form), a token
 * endpoint that checks what a real one checks (client secret, single-use code, redirect URI, the
 * PKCE S256 verifier) and issues signed ID tokens with the nonce, refresh tokens, and an
 * end-session endpoint that records its parameters.
 */
public final class CodeFlowIdp {
    public static final String CLIENT_ID = "gatehouse-web";
    public static final String CLIENT_SECRET = "s3cret-for-tests";

    private final TestIdp idp;
    private volatile Supplier<Map<String, Object>> user;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> refreshTokens = new ConcurrentHashMap<>();
    /** The query parameters of the last authorization request. */
    public volatile Map<String, String> lastAuthorization = Map.of();
    /** The query parameters of the last end-session request. */
    public volatile Map<String, String> lastEndSession = Map.of();
    public final AtomicInteger codeExchanges = new AtomicInteger();
    public final AtomicInteger refreshes = new AtomicInteger();
    public final AtomicInteger pkceFailures = new AtomicInteger();
    /** Lifetime of the ID tokens it issues, seconds. */
    public volatile long idTokenSeconds = 300;
    /** Off until a test resource turns it on: other tests keep the plain discovery-and-JWKS IdP. */
    public volatile boolean enabled;
    /** The IdP's clock: tests hand it Gatehouse's {@link TestClock} so both agree on token times. */
    public volatile java.time.Clock clock = java.time.Clock.systemUTC();
    /** When false, the IdP ignores prompt=login, max_age and acr_values (it cannot step up). */
    public volatile boolean honourStepUp = true;
    public final AtomicInteger authorizations = new AtomicInteger();
    /** When false, refresh tokens are refused (invalid_grant): the user's IdP session ended. */
    public volatile boolean refreshAllowed = true;

    private record Grant(String redirectUri, String challenge, String nonce, Map<String, Object> claims) {
    }

    CodeFlowIdp(TestIdp idp) {
        this.idp = idp;
        this.user = idp::engineer;
    }

    /** Who signs in from now on (claims without iss/aud/exp: the token endpoint sets those). */
    public void signInAs(Supplier<Map<String, Object>> claims) {
        this.user = claims;
    }

    /** Back to the default user (the engineer), refreshes allowed, default lifetimes. */
    public void reset() {
        user = idp::engineer;
        refreshAllowed = true;
        honourStepUp = true;
        idTokenSeconds = 300;
        lastAuthorization = Map.of();
        lastEndSession = Map.of();
        clock = java.time.Clock.systemUTC();
    }

    /** Handles the request when it is one of its endpoints; false otherwise. */
    boolean handle(HttpServerRequest req) {
        if (!enabled) {
            return false;
        }
        String p = req.path();
        if (p.equals("/realms/test/auth")) {
            authorize(req);
        } else if (p.equals("/realms/test/token") && req.method().name().equals("POST")) {
            req.body().onSuccess(b -> token(req, query(b.toString())));
        } else if (p.equals("/realms/test/logout")) {
            lastEndSession = query(req.query());
            String back = lastEndSession.get("post_logout_redirect_uri");
            if (back != null) {
                req.response().setStatusCode(302).putHeader("Location", back).end();
            } else {
                req.response().end("signed out");
            }
        } else {
            return false;
        }
        return true;
    }

    private void authorize(HttpServerRequest req) {
        Map<String, String> q = query(req.query());
        lastAuthorization = q;
        if (!"code".equals(q.get("response_type")) || !CLIENT_ID.equals(q.get("client_id"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || q.get("redirect_uri") == null || q.get("state") == null || q.get("nonce") == null) {
            req.response().setStatusCode(400).end("bad authorization request " + q.keySet());
            return;
        }
        authorizations.incrementAndGet();
        String code = UUID.randomUUID().toString();
        Map<String, Object> claims = new HashMap<>(user.get());
        if (!honourStepUp) {
            // signs in without asking again and without the acr asked for
        } else if ("login".equals(q.get("prompt")) || "0".equals(q.get("max_age"))) {
            claims.put("auth_time", clock.millis() / 1000); // a fresh login
        }
        if (honourStepUp && q.get("acr_values") != null) {
            claims.put("acr", q.get("acr_values").split(" ")[0]);
        }
        codes.put(code, new Grant(q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce"), claims));
        String sep = q.get("redirect_uri").contains("?") ? "&" : "?";
        req.response().setStatusCode(302).putHeader("Location", q.get("redirect_uri") + sep + "code=" + enc(code)
                + "&state=" + enc(q.get("state"))).end();
    }

    private void token(HttpServerRequest req, Map<String, String> form) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(req.getHeader("Authorization"))) {
            error(req, 401, "invalid_client");
            return;
        }
        if ("authorization_code".equals(form.get("grant_type"))) {
            Grant g = codes.remove(String.valueOf(form.get("code"))); // single use
            if (g == null || !g.redirectUri().equals(form.get("redirect_uri"))) {
                error(req, 400, "invalid_grant");
                return;
            }
            if (form.get("code_verifier") == null || !g.challenge().equals(s256(form.get("code_verifier")))) {
                pkceFailures.incrementAndGet();
                error(req, 400, "invalid_grant");
                return;
            }
            codeExchanges.incrementAndGet();
            issue(req, g.claims(), g.nonce());
        } else if ("refresh_token".equals(form.get("grant_type"))) {
            Map<String, Object> before = refreshTokens.remove(String.valueOf(form.get("refresh_token")));
            if (before == null || !refreshAllowed) {
                error(req, 400, "invalid_grant");
                return;
            }
            refreshes.incrementAndGet();
            Map<String, Object> now = new HashMap<>(user.get()); // what the IdP says about the user now
            now.put("sub", before.get("sub"));
            now.put("auth_time", before.get("auth_time"));
            if (before.get("sid") != null) {
                now.put("sid", before.get("sid"));
            }
            issue(req, now, null);
        } else {
            error(req, 400, "unsupported_grant_type");
        }
    }

    private void issue(HttpServerRequest req, Map<String, Object> base, String nonce) {
        long now = clock.millis() / 1000;
        Map<String, Object> c = new HashMap<>(base);
        c.put("iss", idp.issuer());
        c.put("aud", CLIENT_ID);
        c.put("iat", now);
        c.put("exp", now + idTokenSeconds);
        c.putIfAbsent("sid", "sid-" + UUID.randomUUID());
        if (nonce != null) {
            c.put("nonce", nonce);
        } else {
            c.remove("nonce");
        }
        String refresh = UUID.randomUUID().toString();
        refreshTokens.put(refresh, c);
        req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("id_token", idp.sign(c)).put("access_token", "at-" + UUID.randomUUID())
                .put("refresh_token", refresh).put("token_type", "Bearer").put("expires_in", idTokenSeconds).encode());
    }

    private static void error(HttpServerRequest req, int status, String code) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", code).encode());
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> query(String q) {
        Map<String, String> m = new HashMap<>();
        if (q == null || q.isEmpty()) {
            return m;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The claims a sign-in would carry for a list of groups (tests of policy re-evaluation). */
    public Map<String, Object> engineerIn(List<String> groups) {
        Map<String, Object> c = idp.engineer();
        c.put("groups", groups);
        return c;
    }
}
