package dev.gatehouse.identity;

import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
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
 * A new token's verification on one core (issue 13: at least 10,000 new tokens per second per
 * core): {@link LocalJwtVerifier} on a Keycloak-shaped RS256 access token (2048-bit key), alone and
 * with the claims mapped to an {@link Identity} as {@code TokenVerifier.verifyLocally} does; and,
 * for scale, jose4j's {@link JwtConsumer} configured as quarkus-oidc configures it (the core of the
 * slow path; quarkus-oidc's whole bearer path costs more: JWKS resolver, security identity,
 * augmentors, Mutiny). Every call checks a different token, as a cache miss would.
 *
 * <p>Besides JMH's wall-clock score, each iteration prints the CPU time of the benchmark thread per
 * operation ({@code ThreadMXBean}, read at the iteration's start and end): on a shared machine wall
 * time includes waiting for a core, CPU time is what "tokens per second per core" is about.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenVerificationBenchmark {
    private static final String ISS = "https://idp.example/realms/corp";
    private static final String AUD = "gatehouse";
    private static final String TENANT = "corp-0011223344556677";
    private static final int TOKENS = 1024;

    private final JwksKeys keys = new JwksKeys();
    private String[] headers;
    private JwtConsumer jose4j;
    private int next;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long cpuAtStart;
    private long ops;

    @Setup(Level.Iteration)
    public void startCpu() {
        ops = 0;
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void reportCpu() {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        if (ops > 0) {
            System.out.printf("%n  CPU of the benchmark thread: %.2f us/op over %d ops (%.0f per second of CPU)%n",
                    cpu / 1e3 / ops, ops, ops * 1e9 / cpu);
        }
    }

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair kp = gen.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"k1\",\"n\":\""
                + b64(unsigned(pub.getModulus())) + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}]}";
        keys.update(TENANT, jwks);
        long now = System.currentTimeMillis() / 1000;
        headers = new String[TOKENS];
        Signature s = Signature.getInstance("SHA256withRSA");
        for (int i = 0; i < TOKENS; i++) {
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
        }
        JsonWebKeySet set = new JsonWebKeySet(jwks);
        jose4j = new JwtConsumerBuilder()
                .setVerificationKeyResolver((jws, nesting) -> {
                    try {
                        return new VerificationJwkSelector().select(jws, set.getJsonWebKeys()).getKey();
                    } catch (Exception e) {
                        throw new org.jose4j.lang.UnresolvableKeyException("no key", e);
                    }
                })
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"))
                .setRequireExpirationTime().setRequireIssuedAt().setExpectedIssuer(ISS).setExpectedAudience(AUD)
                .setAllowedClockSkewInSeconds(OidcTenants.CLOCK_SKEW_SECONDS).setRelaxVerificationKeyValidation()
                .build();
    }

    private String nextHeader() {
        ops++;
        next = (next + 1) & (TOKENS - 1);
        return headers[next];
    }

    @Benchmark
    public LocalJwtVerifier.Verified localVerify() {
        String h = nextHeader();
        return LocalJwtVerifier.verify(keys, TENANT, ISS, AUD, h, 7, h.length(), System.currentTimeMillis() / 1000);
    }

    @Benchmark
    public Identity localVerifyAndMapClaims() {
        String h = nextHeader();
        LocalJwtVerifier.Verified v = LocalJwtVerifier.verify(keys, TENANT, ISS, AUD, h, 7, h.length(),
                System.currentTimeMillis() / 1000);
        return IdentityFactory.fromClaims(v.claims(), ClaimPaths.DEFAULTS, false);
    }

    @Benchmark
    public JwtClaims jose4jAsQuarkusOidcConfiguresIt() throws Exception {
        return jose4j.processToClaims(nextHeader().substring(7));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
