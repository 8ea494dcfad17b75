package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.GatehouseSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The ES256 keys that sign upstream assertions. The signing key comes from
 * {@code gatehouse.assertion.key-file} or, absent that, from the data directory, where one is
 * generated and persisted on first start. Every key file in the data directory stays published in
 * the JWKS, so rotating (adding a newer key) never breaks upstreams holding an older kid.
 */
@Startup // load or generate the key at boot, not on the first request
@ApplicationScoped
public class AssertionKeys {
    private static final Logger LOG = Logger.getLogger(AssertionKeys.class);
    private static final String PREFIX = "assertion-key-";

    /** A private key, its public half and its id. */
    public record SigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {
    }

    private final SigningKey active;
    private final String jwksJson;

    @Inject
    public AssertionKeys(GatehouseSettings settings) {
        this(Path.of(settings.dataDir()), settings.assertion().keyFile().map(Path::of));
    }

    /**
     * @param dir     data directory: every key file in it is published; with no key file given, the
     *                newest signs, and one is generated when there is none
     * @param keyFile an explicitly configured signing key
     */
    AssertionKeys(Path dir, Optional<Path> keyFile) {
        try {
            List<SigningKey> keys = new ArrayList<>(loadDir(dir));
            SigningKey signer;
            if (keyFile.isPresent()) {
                signer = load(keyFile.get());
                keys.removeIf(k -> k.kid().equals(signer.kid()));
                keys.add(0, signer);
            } else if (keys.isEmpty()) {
                signer = generate(dir);
                keys.add(signer);
            } else {
                signer = keys.get(0);
            }
            this.active = signer;
            this.jwksJson = toJwks(keys);
            LOG.infof("assertion signing key %s (%d key(s) published)", signer.kid(), keys.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create assertion keys", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("invalid assertion key", e);
        }
    }

    public SigningKey active() {
        return active;
    }

    /** The JWKS document served at {@code /.gatehouse/jwks.json}. */
    public String jwksJson() {
        return jwksJson;
    }

    /** Newest file first: the newest key signs. */
    private static List<SigningKey> loadDir(Path dir) throws IOException, GeneralSecurityException {
        List<SigningKey> keys = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted(Comparator
                    .comparing((Path p) -> p.toFile().lastModified()).reversed()).toList();
        }
        for (Path p : files) {
            keys.add(load(p));
        }
        return keys;
    }

    /**
     * Reads a PEM file holding a PKCS#8 {@code PRIVATE KEY} block and its {@code PUBLIC KEY} block
     * ({@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem;
     * openssl pkey -in k.pem -pubout >> k.pem}).
     */
    static SigningKey load(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem);
        KeyFactory kf = KeyFactory.getInstance("EC");
        byte[] priv = pemBlock(text, "PRIVATE KEY", pem);
        byte[] pub = pemBlock(text, "PUBLIC KEY", pem);
        ECPrivateKey privateKey = (ECPrivateKey) kf.generatePrivate(new PKCS8EncodedKeySpec(priv));
        ECPublicKey publicKey = (ECPublicKey) kf.generatePublic(new X509EncodedKeySpec(pub));
        if (publicKey.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new GeneralSecurityException(pem + ": the assertion key must be on curve P-256 (ES256)");
        }
        return new SigningKey(kidOf(publicKey), privateKey, publicKey);
    }

    private static byte[] pemBlock(String text, String type, Path file) throws GeneralSecurityException {
        String begin = "-----BEGIN " + type + "-----";
        int start = text.indexOf(begin);
        int end = text.indexOf("-----END " + type + "-----");
        if (start < 0 || end < start) {
            throw new GeneralSecurityException(file + ": no '" + type + "' PEM block");
        }
        return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
    }

    private static SigningKey generate(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        SigningKey key = new SigningKey(kidOf(pub), (ECPrivateKey) pair.getPrivate(), pub);
        Files.createDirectories(dir);
        Path file = dir.resolve(PREFIX + key.kid() + ".pem");
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(pub.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(file, pem);
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        LOG.infof("generated assertion signing key %s in %s", key.kid(), file);
        return key;
    }

    static String kidOf(ECPublicKey pub) throws GeneralSecurityException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(pub.getEncoded());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 16);
    }

    private static String toJwks(List<SigningKey> keys) {
        JsonArray arr = new JsonArray();
        for (SigningKey k : keys) {
            ECPoint w = k.publicKey().getW();
            arr.add(new JsonObject().put("kty", "EC").put("crv", "P-256").put("use", "sig").put("alg", "ES256")
                    .put("kid", k.kid()).put("x", coord(w.getAffineX())).put("y", coord(w.getAffineY())));
        }
        return new JsonObject().put("keys", arr).encode();
    }

    private static String coord(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 32 - len, len);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
