package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.crypto.NativeCrypto;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Both ES256 signers, the native one (AWS-LC through {@link NativeCrypto}) and BouncyCastle's, make
 * JOSE signatures (R || S, 64 bytes) that the JDK's own ECDSA verifies with the key's public half,
 * each with its own nonce, from any thread; the native one is the one used where it loads.
 */
class Es256SignerTest {
    private static KeyPair p256() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static Es256Signer signer(KeyPair pair, Provider provider) throws Exception {
        return new Es256Signer((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(), new SecureRandom(),
                provider);
    }

    @Test
    void theNativeSignerIsTheOneUsedWhereItLoads() throws Exception {
        KeyPair pair = p256();
        Es256Signer dflt = new Es256Signer((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(),
                new SecureRandom());
        assertThat(dflt.isNative()).isEqualTo(NativeCrypto.provider() != null);
        assertThat(signer(pair, null).isNative()).isFalse();
    }

    @Test
    void nativeSignaturesVerifyWithTheJdkFromEveryThread() throws Exception {
        Provider provider = NativeCrypto.provider();
        org.junit.jupiter.api.Assumptions.assumeTrue(provider != null, "no native provider on this platform");
        KeyPair pair = p256();
        Es256Signer signer = signer(pair, provider);
        assertThat(signer.isNative()).isTrue();
        Set<String> rs = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        byte[] input = ("header.payload-" + thread + "-" + i).getBytes(StandardCharsets.US_ASCII);
                        byte[] sig = signer.sign(input);
                        assertThat(verifies(pair, input, sig)).as("thread %d signature %d", thread, i).isTrue();
                        rs.add(Base64.getEncoder().encodeToString(Arrays.copyOf(sig, 32)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rs).as("a fresh nonce each time").hasSize(600);
    }

    @Test
    void bouncyCastleSignaturesStillVerifyWithTheJdk() throws Exception {
        KeyPair pair = p256();
        Es256Signer signer = signer(pair, null);
        for (int i = 0; i < 200; i++) { // about one in 128 has an R or S shorter than 32 bytes: padded
            byte[] input = ("header.payload-" + i).getBytes(StandardCharsets.US_ASCII);
            assertThat(verifies(pair, input, signer.sign(input))).as("signature %d", i).isTrue();
        }
    }

    @Test
    void aSignatureDoesNotVerifyForOtherInputOrAnotherKey() throws Exception {
        KeyPair pair = p256();
        Es256Signer signer = signer(pair, NativeCrypto.provider());
        byte[] sig = signer.sign("a.b".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifies(pair, "a.c".getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
        assertThat(verifies(p256(), "a.b".getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
    }

    @Test
    void aKeyPairThatDoesNotMatchIsRefusedByEitherSigner() throws Exception {
        ECPrivateKey one = (ECPrivateKey) p256().getPrivate();
        ECPublicKey other = (ECPublicKey) p256().getPublic();
        assertThatThrownBy(() -> new Es256Signer(one, other, new SecureRandom(), NativeCrypto.provider()))
                .hasMessageContaining("do not match");
        assertThatThrownBy(() -> new Es256Signer(one, other, new SecureRandom(), null))
                .hasMessageContaining("do not match");
    }

    private static boolean verifies(KeyPair pair, byte[] input, byte[] sig) throws Exception {
        assertThat(sig).hasSize(64);
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
        jdk.initVerify(pair.getPublic());
        jdk.update(input);
        return jdk.verify(sig);
    }
}
