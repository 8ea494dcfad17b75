package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * The signing keys of each IdP for checks Gatehouse makes itself with jose4j (back-channel logout
 * tokens): the JWKS named by the IdP's discovery document, cached, refetched when a token names an
 * unknown {@code kid} (at most once per {@link #MIN_REFETCH}). Blocking HTTP: call from workers.
 */
public final class IdpKeys {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration MIN_REFETCH = Duration.ofSeconds(30);

    /**
     * The JDK client for discovery, made at the first back-channel logout token rather than with the
     * bean: building it loads the JDK's HTTP client and starts its selector thread (about 0.1 s of
     * CPU at startup, BENCHMARKS.md issue 13 round seven), for a feature many deployments never use.
     */
    private volatile HttpClient http;
    private final Map<String, HttpsJwksVerificationKeyResolver> resolvers = new ConcurrentHashMap<>();

    /** The key resolver of {@code idp} (discovery is fetched the first time). */
    public VerificationKeyResolver resolver(IdpConfig idp) {
        HttpsJwksVerificationKeyResolver r = resolvers.get(idp.tenantId());
        if (r == null) {
            HttpsJwks jwks = new HttpsJwks(jwksUri(idp));
            if (idp.ca() != null) { // a private CA (ca-file): the keys are fetched trusting it alone
                Get get = new Get();
                get.setSslSocketFactory(idp.ca().sslContext().getSocketFactory());
                jwks.setSimpleHttpGet(get);
            }
            jwks.setDefaultCacheDuration(300);
            jwks.setRetainCacheOnErrorDuration(300);
            r = new HttpsJwksVerificationKeyResolver(jwks);
            r.setDisambiguateWithVerifySignature(true);
            resolvers.putIfAbsent(idp.tenantId(), r);
            r = resolvers.get(idp.tenantId());
        }
        return r;
    }

    private HttpClient sharedClient() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                c = http;
                if (c == null) {
                    c = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
                    http = c;
                }
            }
        }
        return c;
    }

    private String jwksUri(IdpConfig idp) {
        String issuer = idp.issuer().endsWith("/") ? idp.issuer().substring(0, idp.issuer().length() - 1) : idp.issuer();
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        try {
            HttpClient client = idp.ca() == null ? sharedClient()
                    : HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(idp.ca().sslContext()).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new LogoutTokenRejected("keys-unavailable", "discovery of " + idp.id() + " answered " + r.statusCode());
            }
            String uri = new JsonObject(r.body()).getString("jwks_uri");
            if (uri == null) {
                throw new LogoutTokenRejected("keys-unavailable", "discovery of " + idp.id() + " has no jwks_uri");
            }
            return uri;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LogoutTokenRejected rejected) {
                throw rejected;
            }
            throw new LogoutTokenRejected("keys-unavailable", "discovery of " + idp.id() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogoutTokenRejected("keys-unavailable", "interrupted");
        }
    }
}
