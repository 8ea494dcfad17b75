package dev.gatehouse.gateway.forward;

import dev.gatehouse.crypto.NativeCrypto;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ES256 signatures (RFC 7518 section 3.4: ECDSA on P-256 with SHA-256, the signature as R and S,
 * 32 bytes each, big-endian) with one private key: by the native provider of {@link NativeCrypto}
 * (AWS-LC, about 13 us of CPU per signature) where it loads, else through BouncyCastle's
 * lightweight API (about 57 us).
 *
 * <p>Native: one {@link Signature} per thread, initialised once with the key (a JCA signature
 * object returns to its initialised state after each {@code sign()}); AWS-LC draws each nonce
 * from its own DRBG, hedged with the key and the message.
 *
 * <p>Why not {@code java.security.Signature}: JDK 17's SunEC multiplies the generator point
 * without a precomputed table, about 0.5 ms of CPU per signature on the benchmark machine, and
 * every new (token, app) pair needs one. BouncyCastle's {@link ECDSASigner} multiplies with a
 * fixed-point comb over a table computed once per JVM, on its specialised P-256 field arithmetic:
 * about 65 us (BENCHMARKS.md, "Assertion signing"). Both are meant to be constant-time in the key
 * and nonce (BouncyCastle's comb reads its table with a full scan; the nonce's inverse is
 * {@code BigIntegers.modOddInverse}).
 *
 * <p>Each signature draws a fresh nonce k from a {@link SecureRandom} (BouncyCastle's
 * {@code RandomDSAKCalculator}): never reused, never stored. BouncyCastle is used as a library
 * only, not registered as a JCA provider, so nothing else in the process changes provider.
 *
 * <p>Fails closed: the constructor signs a test message and verifies it with the JDK's own ECDSA
 * and the key's public half, so a key pair that does not match, or a signer that disagrees with
 * the JDK, is refused before any upstream sees an assertion from it.
 */
final class Es256Signer {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(),
            P256.getN(), P256.getH(), P256.getSeed());
    private static final int FIELD_BYTES = 32;
    /** One SHA-256 per thread: {@code MessageDigest.getInstance} is a provider lookup per call. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    });

    private final ECPrivateKeyParameters key;
    private final SecureRandom random;
    /** The native signer of this key per thread, or null: BouncyCastle. */
    private final ThreadLocal<Signature> nativeSigner;

    /**
     * @param privateKey a P-256 private key
     * @param publicKey  its public half, used for the self-check
     * @param random     the nonces' source; a cryptographically strong generator
     * @throws GeneralSecurityException when the key is not on P-256 or the self-check fails
     */
    Es256Signer(ECPrivateKey privateKey, ECPublicKey publicKey, SecureRandom random) throws GeneralSecurityException {
        this(privateKey, publicKey, random, NativeCrypto.provider());
    }

    /**
     * @param provider the native provider to sign with, or null for BouncyCastle (BouncyCastle's
     *                 path stays tested where the native one loads)
     */
    Es256Signer(ECPrivateKey privateKey, ECPublicKey publicKey, SecureRandom random, Provider provider)
            throws GeneralSecurityException {
        ECParameterSpec spec = privateKey.getParams();
        if (!spec.getOrder().equals(DOMAIN.getN()) || !spec.getGenerator().getAffineX()
                .equals(DOMAIN.getG().getAffineXCoord().toBigInteger())
                || spec.getCurve().getField().getFieldSize() != 256) {
            throw new GeneralSecurityException("the assertion key is not on curve P-256 (ES256)");
        }
        this.key = new ECPrivateKeyParameters(privateKey.getS(), DOMAIN);
        this.random = random;
        this.nativeSigner = nativeSigner(privateKey, provider);
        selfCheck(publicKey);
    }

    /** Whether signatures are made by the native provider (else by BouncyCastle). */
    boolean isNative() {
        return nativeSigner != null;
    }

    /** The JOSE signature (R || S, 64 bytes) of {@code input}. Thread-safe. */
    byte[] sign(byte[] input) {
        if (nativeSigner != null) {
            try {
                Signature s = nativeSigner.get();
                s.update(input);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ES256 signature failed", e); // no assertion, the request fails
            }
        }
        byte[] digest = SHA256.get().digest(input); // digest() resets it for the next call
        ECDSASigner signer = new ECDSASigner(); // a random k per signature (RandomDSAKCalculator)
        signer.init(true, new ParametersWithRandom(key, random));
        BigInteger[] rs = signer.generateSignature(digest);
        byte[] out = new byte[2 * FIELD_BYTES];
        put(rs[0], out, 0);
        put(rs[1], out, FIELD_BYTES);
        return out;
    }

    /** A per-thread signer of {@code privateKey} by {@code provider}, or null without a provider. */
    private static ThreadLocal<Signature> nativeSigner(ECPrivateKey privateKey, Provider provider)
            throws GeneralSecurityException {
        if (provider == null) {
            return null;
        }
        PrivateKey own = KeyFactory.getInstance("EC", provider).translateKey(privateKey) instanceof PrivateKey p ? p : null;
        if (own == null) {
            throw new GeneralSecurityException("the native provider did not take the assertion key");
        }
        Signature first = Signature.getInstance("SHA256withECDSAinP1363Format", provider); // fails here, not per request
        first.initSign(own);
        return ThreadLocal.withInitial(() -> {
            try {
                Signature s = Signature.getInstance("SHA256withECDSAinP1363Format", provider);
                s.initSign(own);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ES256 signer unavailable", e);
            }
        });
    }

    private void selfCheck(ECPublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "gatehouse ES256 self-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        jdk.initVerify(publicKey);
        jdk.update(probe);
        if (!jdk.verify(sign(probe))) {
            throw new GeneralSecurityException("the assertion key's private and public halves do not match "
                    + "(an ES256 signature did not verify)");
        }
    }

    /** {@code v} (0 < v < n) as exactly 32 unsigned big-endian bytes at {@code out[at]}. */
    private static void put(BigInteger v, byte[] out, int at) {
        byte[] raw = v.toByteArray(); // may carry a leading sign byte, or be shorter than 32
        int len = Math.min(raw.length, FIELD_BYTES);
        System.arraycopy(raw, raw.length - len, out, at + FIELD_BYTES - len, len);
    }
}
