package dev.gatehouse.identity;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.gateway.forward.AssertionKeyStore;
import dev.gatehouse.gateway.forward.AssertionKeys;
import dev.gatehouse.gateway.forward.AssertionSigner;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.ClaimPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The work a new token adds to a request, without the HTTP around it (issue 13: new tokens per
 * second per core): the cache key ({@link TokenKey#of}), {@link TokenVerifier#verifyLocally}
 * (signature, claims, identity, the verified-token cache insert, the meter) and
 * {@link AssertionSigner#assertionFor} (a new ES256 assertion and its cache insert), alone and
 * together. Every operation is a miss everywhere: a token never seen (its cache key is made unique
 * per pass over the pre-signed tokens) at an app id never seen with that caller, so both the
 * verified-token cache and the assertion cache keep growing and evicting as in the bench's miss run.
 *
 * <p>Each iteration prints the CPU time of the benchmark thread per operation, as
 * {@code TokenVerificationBenchmark} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NewTokenBenchmark {
    private static final String ISS = "https://idp.example/realms/corp";
    private static final String AUD = "gatehouse";
    private static final int TOKENS = 2048;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final JwksKeys keys = new JwksKeys();
    private String[] headers;
    private VerifiedToken[] verified;
    private IdpConfig idp;
    private TokenVerifier verifier;
    private AssertionSigner signer;
    private String tenant;
    private int next;
    private long pass;
    private long cpuAtStart;
    private long ops;

    @Setup
    public void setUp() throws Exception {
        idp = new IdpConfig("corp", ISS, AUD, "web", "s", ClaimPaths.DEFAULTS, false);
        tenant = idp.tenantId();
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair kp = gen.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        keys.update(tenant, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"k1\",\"n\":\""
                + b64(unsigned(pub.getModulus())) + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}]}");
        GatehouseSettings settings = settings(100_000);
        verifier = new TokenVerifier(settings, new GatewayMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), keys);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("new-token-bench");
        signer = new AssertionSigner(new AssertionKeys(settingsWithDataDir(dir), AssertionKeyStore.FILES), settings);
        long now = System.currentTimeMillis() / 1000;
        headers = new String[TOKENS];
        verified = new VerifiedToken[TOKENS];
        Signature s = Signature.getInstance("SHA256withRSA");
        for (int i = 0; i < TOKENS; i++) {
            // a Keycloak-shaped access token, as TokenVerificationBenchmark's
            String payload = "{\"exp\":" + (now + 3600) + ",\"iat\":" + now + ",\"jti\":\"" + i + "\",\"iss\":\"" + ISS
                    + "\",\"aud\":\"" + AUD + "\",\"sub\":\"user-" + i + "\",\"typ\":\"Bearer\",\"azp\":\"web\","
                    + "\"preferred_username\":\"user" + i + "\",\"email\":\"user" + i + "@example.com\","
                    + "\"email_verified\":true,\"groups\":[\"staff\",\"engineering\"],"
                    + "\"realm_access\":{\"roles\":[\"offline_access\",\"uma_authorization\"]},"
                    + "\"device_id\":\"dev-" + i + "\",\"device_compliant\":true,\"amr\":[\"pwd\",\"otp\"]}";
            String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
            s.initSign(kp.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            headers[i] = "Bearer " + input + "." + b64(s.sign());
            verified[i] = verifier.verifyLocally(idp, TokenKey.of(tenant, headers[i], 7, headers[i].length()),
                    headers[i], 7, headers[i].length());
            if (verified[i] == null) {
                throw new IllegalStateException("the benchmark's token was not accepted");
            }
        }
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        ops = 0;
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void reportCpu() {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        if (ops > 0) {
            System.out.printf("%n  CPU of the benchmark thread: %.2f us/op over %d ops (%.0f per second of CPU); load %.2f%n",
                    cpu / 1e3 / ops, ops, ops * 1e9 / cpu, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** The next token; a new pass over them gets new cache keys and a new app id: still misses. */
    private int advance() {
        ops++;
        next = (next + 1) & (TOKENS - 1);
        if (next == 0) {
            pass++;
        }
        return next;
    }

    private TokenKey unique(TokenKey k) {
        return new TokenKey(k.tenant(), k.h0(), k.h1() ^ pass, k.h2(), k.h3());
    }

    /** The cache key, the local verification with the identity, the cache insert and the meter. */
    @Benchmark
    public VerifiedToken verifyNewToken() {
        int i = advance();
        String h = headers[i];
        TokenKey key = unique(TokenKey.of(tenant, h, 7, h.length()));
        return verifier.verifyLocally(idp, key, h, 7, h.length());
    }

    /** A new assertion for a caller never seen at this app (signature, JSON, its cache insert). */
    @Benchmark
    public String assertionForNewToken() {
        int i = advance();
        VerifiedToken v = verified[i];
        return signer.assertionFor(new VerifiedToken(unique(v.cacheKey()), v.idp(), v.identity(), v.expEpochSeconds()),
                "app-" + pass);
    }

    /**
     * Not a new token: what a request of a cached token pays for its assertion (found in the cache),
     * over 2,048 cached tokens at one app; round eight's check that the memo on the cached token
     * costs a cache hit nothing.
     */
    @Benchmark
    public String cachedAssertion() {
        ops++;
        next = (next + 1) & (TOKENS - 1);
        return signer.assertionFor(verified[next], "app-hit");
    }

    /** Both: what a new token costs beyond a cache hit's request. */
    @Benchmark
    public String wholeNewToken() {
        int i = advance();
        String h = headers[i];
        TokenKey key = unique(TokenKey.of(tenant, h, 7, h.length()));
        VerifiedToken v = verifier.verifyLocally(idp, key, h, 7, h.length());
        return signer.assertionFor(v, "app-" + pass);
    }

    private static GatehouseSettings settings(long cacheSize) {
        return settingsWithDataDir(null, cacheSize);
    }

    private static GatehouseSettings settingsWithDataDir(java.nio.file.Path dir) {
        return settingsWithDataDir(dir, 100_000);
    }

    /** Only what the benchmarked classes read, through a proxy: the rest answers null. */
    private static GatehouseSettings settingsWithDataDir(java.nio.file.Path dir, long cacheSize) {
        Object tokenCache = proxy(GatehouseSettings.TokenCache.class, "maxSize", cacheSize);
        Object assertion = Proxy.newProxyInstance(NewTokenBenchmark.class.getClassLoader(),
                new Class<?>[] {GatehouseSettings.Assertion.class}, (p, m, a) -> switch (m.getName()) {
                    case "issuer" -> "https://gatehouse.example";
                    case "ttl" -> Duration.ofMinutes(2);
                    case "keyFile" -> Optional.empty();
                    default -> null;
                });
        return (GatehouseSettings) Proxy.newProxyInstance(NewTokenBenchmark.class.getClassLoader(),
                new Class<?>[] {GatehouseSettings.class}, (p, m, a) -> switch (m.getName()) {
                    case "tokenCache" -> tokenCache;
                    case "assertion" -> assertion;
                    case "dataDir" -> dir == null ? null : dir.toString();
                    default -> null;
                });
    }

    private static Object proxy(Class<?> type, String method, Object value) {
        return Proxy.newProxyInstance(NewTokenBenchmark.class.getClassLoader(), new Class<?>[] {type},
                (p, m, a) -> m.getName().equals(method) ? value : null);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
