package dev.gatehouse.session;

import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.identity.IdpTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * Talks to an IdP for browser sign-in, without ever blocking an event loop (the Vert.x web client):
 * its discovery document (cached per IdP settings; a failed fetch is retried on the next sign-in),
 * its JWKS (cached; fetched again for an unknown key id at most every 30 s), and its token
 * endpoint (code exchange with the PKCE verifier, refresh). The client authenticates with
 * {@code client_secret_basic} when the IdP has a secret, as a public client otherwise.
 *
 * <p>Why not quarkus-oidc's: its web-app tenants run their own code flow and session cookie (see
 * the README, "Browser sign-in"); its discovery and keys are reachable only through that flow.
 */
public final class IdpClient {
    private static final long JWKS_REFETCH_MS = 30_000;

    /** A web client per CA setting of the IdPs: an IdP with {@code ca-file} is reached trusting only it. */
    private final IdpTrust<WebClient> web;
    private final Clock clock;
    private final Map<IdpConfig, Future<IdpEndpoints>> endpoints = new ConcurrentHashMap<>();
    private final Map<IdpConfig, Keys> keys = new ConcurrentHashMap<>();

    private record Keys(Future<JsonWebKeySet> set, long fetchedMs) {
    }

    public IdpClient(Vertx vertx, Clock clock) {
        this.web = new IdpTrust<>(ca -> WebClient.create(vertx, IdpTrust.trusting(ca, new WebClientOptions()
                .setConnectTimeout(5000).setIdleTimeout(30).setUserAgent("gatehouse").setFollowRedirects(false))));
        this.clock = clock;
    }

    /** The IdP's endpoints from its discovery document. */
    public Future<IdpEndpoints> endpoints(IdpConfig idp) {
        Future<IdpEndpoints> f = endpoints.computeIfAbsent(idp, this::discover);
        if (f.failed()) { // retried on the next call, not cached as a failure
            endpoints.remove(idp, f);
            return endpoints.computeIfAbsent(idp, this::discover);
        }
        return f;
    }

    private Future<IdpEndpoints> discover(IdpConfig idp) {
        return web.clientFor(idp).getAbs(idp.issuer() + "/.well-known/openid-configuration").timeout(10_000).send()
                .map(r -> {
                    JsonObject d = json(r, "discovery");
                    if (!idp.issuer().equals(stripSlash(d.getString("issuer")))) {
                        throw new IllegalStateException("discovery issuer " + d.getString("issuer")
                                + " is not the configured issuer " + idp.issuer());
                    }
                    String auth = d.getString("authorization_endpoint");
                    String token = d.getString("token_endpoint");
                    String jwks = d.getString("jwks_uri");
                    if (auth == null || token == null || jwks == null) {
                        throw new IllegalStateException("discovery of " + idp.id()
                                + " lacks authorization_endpoint, token_endpoint or jwks_uri");
                    }
                    return new IdpEndpoints(auth, token, jwks, d.getString("end_session_endpoint"));
                });
    }

    /**
     * The IdP's signing keys; with {@code refetch}, fetched again unless they were fetched in the last
     * 30 s (an unknown key id after the IdP rotated its keys).
     */
    public Future<JsonWebKeySet> keys(IdpConfig idp, boolean refetch) {
        Keys k = keys.get(idp);
        long now = clock.millis();
        if (k != null && !k.set().failed() && !(refetch && now - k.fetchedMs() > JWKS_REFETCH_MS)) {
            return k.set();
        }
        Future<JsonWebKeySet> f = endpoints(idp).compose(e -> web.clientFor(idp).getAbs(e.jwks()).timeout(10_000).send())
                .map(r -> {
                    try {
                        return new JsonWebKeySet(json(r, "JWKS").encode());
                    } catch (JoseException ex) {
                        throw new IllegalStateException("the IdP's JWKS cannot be read: " + ex.getMessage());
                    }
                });
        keys.put(idp, new Keys(f, now));
        return f;
    }

    /** Exchanges an authorization code (with its PKCE verifier) at the token endpoint. */
    public Future<TokenResponse> exchangeCode(IdpConfig idp, String code, String redirectUri, String verifier) {
        return tokenRequest(idp, "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(redirectUri)
                + "&code_verifier=" + enc(verifier));
    }

    /** Renews the tokens with a refresh token. */
    public Future<TokenResponse> refresh(IdpConfig idp, String refreshToken) {
        return tokenRequest(idp, "grant_type=refresh_token&refresh_token=" + enc(refreshToken));
    }

    private Future<TokenResponse> tokenRequest(IdpConfig idp, String form) {
        return endpoints(idp).compose(e -> {
            var req = web.clientFor(idp).postAbs(e.token()).timeout(10_000)
                    .putHeader("Content-Type", "application/x-www-form-urlencoded")
                    .putHeader("Accept", "application/json");
            String body = form;
            if (idp.clientSecret() != null && !idp.clientSecret().isEmpty()) {
                String basic = enc(idp.clientId()) + ":" + enc(idp.clientSecret());
                req.putHeader("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
            } else {
                body = form + "&client_id=" + enc(idp.clientId());
            }
            return req.sendBuffer(Buffer.buffer(body));
        }).map(r -> {
            JsonObject t = json(r, "token endpoint");
            return new TokenResponse(t.getString("id_token"), t.getString("access_token"), t.getString("refresh_token"));
        });
    }

    /** Forgets what was fetched for IdPs whose settings are no longer in force (config reloads). */
    public void retainOnly(java.util.Collection<IdpConfig> current) {
        endpoints.keySet().retainAll(current);
        keys.keySet().retainAll(current);
    }

    private static JsonObject json(HttpResponse<Buffer> r, String what) {
        if (r.statusCode() == 400 || r.statusCode() == 401) {
            // invalid_grant and friends: the code or refresh token is spent, revoked or not ours
            throw new SignInFailed(what + " refused the request (HTTP " + r.statusCode() + ")");
        }
        if (r.statusCode() != 200) {
            // an error answer may describe the request but never holds our secrets: still, only its status
            throw new IllegalStateException(what + " answered HTTP " + r.statusCode());
        }
        try {
            return r.bodyAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + " did not answer JSON");
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String s) {
        return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
