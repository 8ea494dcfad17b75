package dev.gatehouse.session;

import dev.gatehouse.config.IdpConfig;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OIDC authorization code flow of browser sign-in, with PKCE (S256), {@code state} and
 * {@code nonce}, and the later life of its tokens: refresh while the session lives, and the
 * IdP's end-session URL at sign-out. HTTP-free: the gateway's reserved endpoints carry the
 * parameters and cookies.
 */
public final class SignInFlow {
    private final IdpClient client;
    private final IdTokenVerifier verifier;
    private final SessionRepository sessions;
    private final Clock clock;
    private final Map<String, Future<Session>> refreshing = new ConcurrentHashMap<>();

    public SignInFlow(IdpClient client, IdTokenVerifier verifier, SessionRepository sessions, Clock clock) {
        this.client = client;
        this.verifier = verifier;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * The IdP authorization URL for this attempt.
     *
     * @param stepUp extra demands (prompt, max_age, acr_values), or {@link StepUp#NONE}
     */
    public Future<String> authorizationUrl(IdpConfig idp, LoginAttempt attempt, String redirectUri, StepUp stepUp) {
        return client.endpoints(idp).map(e -> {
            StringBuilder sb = new StringBuilder(512).append(e.authorization())
                    .append(e.authorization().indexOf('?') < 0 ? '?' : '&')
                    .append("response_type=code")
                    .append("&client_id=").append(IdpClient.enc(idp.clientId()))
                    .append("&redirect_uri=").append(IdpClient.enc(redirectUri))
                    .append("&scope=").append(IdpClient.enc("openid profile email"))
                    .append("&state=").append(IdpClient.enc(attempt.stateParam()))
                    .append("&nonce=").append(IdpClient.enc(attempt.nonce()))
                    .append("&code_challenge=").append(Secrets.pkceChallenge(attempt.verifier()))
                    .append("&code_challenge_method=S256");
            if (stepUp.prompt() != null) {
                sb.append("&prompt=").append(IdpClient.enc(stepUp.prompt()));
            }
            if (stepUp.maxAgeSeconds() >= 0) {
                sb.append("&max_age=").append(stepUp.maxAgeSeconds());
            }
            if (stepUp.acrValues() != null) {
                sb.append("&acr_values=").append(IdpClient.enc(stepUp.acrValues()));
            }
            return sb.toString();
        });
    }

    /**
     * Finishes a sign-in: the code exchanged with the PKCE verifier, the ID token verified (with the
     * attempt's nonce), a new session stored.
     */
    public Future<Session> finish(IdpConfig idp, LoginAttempt attempt, String code, String redirectUri,
                                  long maxAgeMs) {
        return client.exchangeCode(idp, code, redirectUri, attempt.verifier())
                .compose(tokens -> verifier.verify(idp, tokens.idToken(), attempt.nonce())
                        .map(claims -> state(claims, tokens, null)))
                .compose(state -> sessions.create(idp, state, maxAgeMs, attempt.appId(),
                        java.net.URI.create(attempt.returnTo()).getHost()));
    }

    /**
     * Renews a session's claims with its refresh token; one refresh per session at a time. Fails
     * with {@link SignInFailed} when the session cannot be renewed (no refresh token, the IdP
     * refused it, another subject); the caller ends the session then.
     */
    public Future<Session> refresh(Session s, IdpConfig idp) {
        Future<Session> running = refreshing.get(s.id());
        if (running != null) {
            return running;
        }
        SessionState old = s.state();
        if (old.refreshToken() == null) {
            return Future.failedFuture(new SignInFailed("the session has no refresh token"));
        }
        Future<Session> f = client.refresh(idp, old.refreshToken())
                .compose(tokens -> tokens.idToken() == null
                        ? Future.succeededFuture(state(old.claims(), tokens, old))
                        : verifier.verify(idp, tokens.idToken(), null).map(claims -> {
                            if (!claims.get("sub").equals(old.subject())) {
                                throw new SignInFailed("the refreshed ID token names another subject");
                            }
                            return state(claims, tokens, old);
                        }))
                .compose(next -> sessions.replaceState(s, next, idp));
        refreshing.put(s.id(), f);
        f.onComplete(done -> refreshing.remove(s.id(), f));
        return f;
    }

    /** The claims of a fresh ID token (or the old ones, for another ID-token lifetime, when a refresh sent none). */
    private SessionState state(Map<String, Object> claims, TokenResponse tokens, SessionState old) {
        long expMs;
        if (old != null && tokens.idToken() == null) {
            long lifetime = Math.max(60_000, old.claimsExpMs() - iatMs(old.claims(), old.claimsExpMs()));
            expMs = clock.millis() + lifetime;
        } else {
            expMs = ((Number) claims.get("exp")).longValue() * 1000;
        }
        String refresh = tokens.refreshToken() != null ? tokens.refreshToken() : old == null ? null : old.refreshToken();
        String idToken = tokens.idToken() != null ? tokens.idToken() : old.idToken();
        return new SessionState(claims, idToken, tokens.accessToken(), refresh, expMs);
    }

    private static long iatMs(Map<String, Object> claims, long fallback) {
        return claims.get("iat") instanceof Number n ? n.longValue() * 1000 : fallback - 300_000;
    }

    /**
     * The IdP's RP-initiated logout URL with {@code id_token_hint}, {@code client_id} and
     * {@code post_logout_redirect_uri}; null when the IdP has no end-session endpoint.
     */
    public Future<String> endSessionUrl(IdpConfig idp, String idToken, String postLogoutUri) {
        return client.endpoints(idp).map(e -> {
            if (e.endSession() == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder(e.endSession()).append(e.endSession().indexOf('?') < 0 ? '?' : '&')
                    .append("client_id=").append(IdpClient.enc(idp.clientId()))
                    .append("&post_logout_redirect_uri=").append(IdpClient.enc(postLogoutUri));
            if (idToken != null) {
                sb.append("&id_token_hint=").append(IdpClient.enc(idToken));
            }
            return sb.toString();
        });
    }
}
