package dev.gatehouse.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.ClaimPaths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The authenticate stage's hot path, the only part of a request that differs between a bearer
 * client served from the verified-token cache and a browser with a session: the bearer side hashes
 * the token out of the {@code Authorization} header (SHA-256, {@code TokenKey.of}) and asks the
 * Caffeine cache (what {@code TokenVerifier.cached} does); the session side finds the handle in
 * a realistic {@code Cookie} header, looks it up in the replica's session map and runs the checks
 * of {@code gateway.SessionResolver} (ended, IdP, max age, idle, claims expiry, last use). Both then
 * continue through the same gate and forwarder.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionLookupBenchmark {
    private String authorization;
    private Cache<TokenKey, VerifiedToken> tokens;
    private String cookieHeader;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private String tenant;
    private final SessionCookies cookies = new SessionCookies("corp.example");

    @Setup
    public void setUp() {
        IdpConfig idp = new IdpConfig("corp", "https://idp.example/realms/corp", "gatehouse", "web", "s",
                ClaimPaths.DEFAULTS, false);
        tenant = idp.tenantId();
        // a Keycloak-sized access token: about 1,000 characters
        String jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0." + "x".repeat(600) + "." + "s".repeat(342);
        authorization = "Bearer " + jwt;
        tokens = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).build();
        TokenKey key = TokenKey.of(tenant, authorization, 7, authorization.length());
        long now = System.currentTimeMillis();
        SessionState state = new SessionState(Map.of("sub", "alice", "groups", List.of("eng")), "id", "at", "rt",
                now + 300_000);
        Session s = new Session(Secrets.random(32), "0".repeat(64), idp, now, now + 43_200_000L, now, state);
        tokens.put(key, new VerifiedToken(key, "corp", s.caller().identity(), now / 1000 + 300));
        sessions.put(s.handle(), s);
        cookieHeader = "_ga=GA1.2.123456789.1700000000; theme=dark; gatehouse_session=" + s.handle()
                + "; csrftoken=abcdefABCDEF0123456789";
    }

    @Benchmark
    public VerifiedToken bearerCacheHit() {
        int start = 7;
        TokenKey key = TokenKey.of(tenant, authorization, start, authorization.length());
        VerifiedToken hit = tokens.getIfPresent(key);
        return hit != null && hit.expEpochSeconds() * 1000 > System.currentTimeMillis() ? hit : null;
    }

    @Benchmark
    public VerifiedToken sessionCacheHit() {
        String handle = SessionCookies.find(cookieHeader, cookies.nameFor("wiki.corp.example"));
        if (handle == null || handle.length() != 43 || !Secrets.isBase64Url(handle, 43)) {
            return null;
        }
        Session s = sessions.get(handle);
        long now = System.currentTimeMillis();
        if (s == null || s.ended() || !s.tenant().equals(tenant) || now >= Math.min(s.expiresMs(),
                s.createdMs() + 43_200_000L) || now - s.lastSeenMs() > 3_600_000L || now >= s.state().claimsExpMs()) {
            return null;
        }
        s.seen(now);
        return s.caller();
    }
}
