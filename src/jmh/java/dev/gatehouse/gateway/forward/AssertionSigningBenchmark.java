package dev.gatehouse.gateway.forward;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
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
 * What one new {@code X-Gatehouse-Assertion} costs (issue 13: new tokens per second per core):
 * ES256 with JDK's SunEC against BouncyCastle's ECDSA (fixed-point comb) and the native signer
 * (AWS-LC, the default where it loads), bare and as the whole assertion (smallrye-jwt's builder,
 * as before, against {@link AssertionSigner}'s own), and, for
 * information, the two halves of ECDSA with a precomputed nonce: drawing k and computing
 * (k^-1, r = x(kG)) ahead of time, and the signature from them (s = k^-1 (e + d r) mod n).
 * Precomputation moves the point multiplication off the request, not off the core: the two halves
 * add up to about one ordinary signature.
 *
 * <p>Each iteration prints the CPU time of the benchmark thread per operation, as
 * {@code TokenVerificationBenchmark} does: on a shared machine that is what "per core" means.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AssertionSigningBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

    private KeyPair pair;
    private byte[] input;
    private Es256Signer bc;
    private Es256Signer nativeSigner;
    private AssertionSigner signer;
    private AssertionClaims claims;
    private String kid;
    private final SecureRandom random = new SecureRandom();
    private final FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
    private BigInteger d;
    private BigInteger[] nonce;
    private long cpuAtStart;
    private long ops;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        pair = gen.generateKeyPair();
        // a typical assertion's signing input: header.payload, about 500 bytes
        input = new byte[500];
        random.nextBytes(input);
        bc = new Es256Signer((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(), random, null);
        nativeSigner = dev.gatehouse.crypto.NativeCrypto.provider() == null ? null
                : new Es256Signer((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(), random,
                        dev.gatehouse.crypto.NativeCrypto.provider());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("assertion-bench");
        AssertionKeys keys = new AssertionKeys(dir, Optional.empty());
        kid = keys.active().kid();
        signer = new AssertionSigner(keys, "https://gatehouse.example", Duration.ofMinutes(5), 1000);
        claims = new AssertionClaims("app-0042", "corp", "f2c5e1a0-5d0b-4f57-9d8e-1f2a3b4c5d6e",
                "alice.example@example.com", "Alice Example", List.of("staff", "engineering", "on-call"),
                "laptop-7f3a9c", true);
        d = ((ECPrivateKey) pair.getPrivate()).getS();
        nonce = precomputeNonce();
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

    /** JDK's SunEC, as smallrye-jwt (through jose4j) signs. */
    @Benchmark
    public byte[] sunEcSign() throws Exception {
        ops++;
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(pair.getPrivate());
        s.update(input);
        return s.sign();
    }

    /** {@link Es256Signer}: BouncyCastle's ECDSA with a fresh random k. */
    @Benchmark
    public byte[] bouncyCastleSign() {
        ops++;
        return bc.sign(input);
    }

    /** The signer used where the native provider loads (AWS-LC through ACCP). */
    @Benchmark
    public byte[] nativeSign() {
        ops++;
        return nativeSigner.sign(input);
    }

    /** The whole assertion as it was signed before: smallrye-jwt's builder, jose4j, SunEC. */
    @Benchmark
    public String assertionBySmallryeJwt() {
        ops++;
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer("https://gatehouse.example").audience(claims.appId()).subject(claims.subject())
                .claim("idp", claims.idp()).issuedAt(now).expiresAt(now + 300).claim("jti", UUID.randomUUID().toString())
                .groups(new HashSet<>(claims.groups())).claim("device_compliant", claims.deviceCompliant())
                .claim("email", claims.email()).claim("name", claims.name()).claim("device_id", claims.deviceId())
                .jws().keyId(kid).algorithm(SignatureAlgorithm.ES256).sign((ECPrivateKey) pair.getPrivate());
    }

    /** The whole assertion as {@link AssertionSigner} signs a new one now. */
    @Benchmark
    public String assertionByAssertionSigner() {
        ops++;
        long now = System.currentTimeMillis() / 1000;
        return signer.sign(claims, now + 3600, now);
    }

    /** First half of a precomputed-nonce signature: k from the CSPRNG, k^-1 and r = x(kG) mod n. */
    @Benchmark
    public BigInteger[] precomputeNonceOnly() {
        ops++;
        return precomputeNonce();
    }

    /** Second half: s = k^-1 (e + d r) mod n from a precomputed (k^-1, r). Not safe to reuse; measured only. */
    @Benchmark
    public BigInteger signWithPrecomputedNonceOnly() throws Exception {
        ops++;
        BigInteger n = P256.getN();
        BigInteger e = new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(input));
        return nonce[0].multiply(e.add(d.multiply(nonce[1]))).mod(n);
    }

    private BigInteger[] precomputeNonce() {
        BigInteger n = P256.getN();
        BigInteger k;
        do {
            k = BigIntegers.createRandomBigInteger(n.bitLength(), random);
        } while (k.signum() == 0 || k.compareTo(n) >= 0);
        ECPoint p = comb.multiply(P256.getG(), k).normalize();
        BigInteger r = p.getAffineXCoord().toBigInteger().mod(n);
        return new BigInteger[] {BigIntegers.modOddInverse(n, k), r};
    }

    /** Plain-loop sanity check without JMH: {@code java -cp ... AssertionSigningBenchmark}. */
    public static void main(String[] args) throws Exception {
        AssertionSigningBenchmark b = new AssertionSigningBenchmark();
        b.setUp();
        for (int round = 0; round < 3; round++) {
            b.startCpu();
            for (int i = 0; i < 2000; i++) {
                b.assertionByAssertionSigner();
            }
            b.reportCpu();
        }
        System.out.println(new String(java.util.Base64.getUrlDecoder().decode(
                b.assertionByAssertionSigner().split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
