package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.GatehouseSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The ES256 keys that sign upstream assertions. The signing key comes from
 * {@code gatehouse.assertion.key-file} or, absent that, from the data directory, where one is
 * generated and persisted on first start. Every key file in the data directory stays published in
 * the JWKS, so rotating (adding a newer key) never breaks upstreams holding an older kid.
 *
 * <p>With a shared store ({@link AssertionKeyStore#shared()}, PostgreSQL) the keys live there
 * instead: the first replica creates one, every other reads it, so all sign with the same key and
 * publish the same JWKS; a rotation ({@link #rotate}) adds a newer key and keeps the older ones
 * published. A replica that starts while the store is down signs with its data directory's key
 * meanwhile (logged) and switches at {@link #reloadShared} once the store answers, keeping that
 * local key published so its assertions still verify until they expire.
 */
@Startup // load or generate the key at boot, not on the first request
@ApplicationScoped
public class AssertionKeys {
    private static final Logger LOG = Logger.getLogger(AssertionKeys.class);
    private static final String PREFIX = "assertion-key-";
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    /** A private key, its public half and its id. */
    public record SigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {
    }

    /** The key that signs and the JWKS published, swapped together. */
    private record State(SigningKey active, String jwksJson, List<SigningKey> published) {
    }

    private volatile State state;
    private final AssertionKeyStore shared;
    /** Whether the shared keys are wanted but not loaded yet (the store was down). */
    private volatile boolean sharedPending;
    /** The shared keys' version at the last read. */
    private volatile int version;
    /** The ids of the live keys in the shared store at the last read. */
    private volatile Set<String> storeKids = Set.of();

    @Inject
    public AssertionKeys(GatehouseSettings settings, AssertionKeyStore shared) {
        this(Path.of(settings.dataDir()), settings.assertion().keyFile().map(Path::of), shared);
    }

    /**
     * @param dir     data directory (see the other constructor)
     * @param keyFile an explicitly configured signing key: it wins over shared keys
     * @param shared  the shared store's keys, used unless a key file is given
     */
    AssertionKeys(Path dir, Optional<Path> keyFile, AssertionKeyStore shared) {
        this.shared = keyFile.isPresent() ? AssertionKeyStore.FILES : shared;
        if (this.shared.shared()) {
            try {
                loadShared(List.of());
                return;
            } catch (IllegalStateException e) {
                // a key that does not unseal (another gatehouse.store.key) or does not parse: a
                // configuration fault, not an outage; starting would split the replicas' keys
                throw e;
            } catch (RuntimeException e) {
                LOG.errorf("the shared assertion keys cannot be read (%s): signing with this replica's own key "
                        + "until the store answers", e.getMessage());
                sharedPending = true;
            }
        }
        this.state = fromFiles(dir, keyFile);
    }

    /**
     * @param dir     data directory: every key file in it is published; with no key file given, the
     *                newest signs, and one is generated when there is none
     * @param keyFile an explicitly configured signing key
     */
    AssertionKeys(Path dir, Optional<Path> keyFile) {
        this.shared = AssertionKeyStore.FILES;
        this.state = fromFiles(dir, keyFile);
    }

    private static State fromFiles(Path dir, Optional<Path> keyFile) {
        try {
            warnIfOpen(dir);
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
            LOG.infof("assertion signing key %s (%d key(s) published)", signer.kid(), keys.size());
            return new State(signer, toJwks(keys), List.copyOf(keys));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create assertion keys", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("invalid assertion key", e);
        }
    }

    public SigningKey active() {
        return state.active();
    }

    /** The JWKS document served at {@code /.gatehouse/jwks.json}. */
    public String jwksJson() {
        return state.jwksJson();
    }

    /** Whether the keys should come from the shared store but have not been read from it yet. */
    public boolean sharedPending() {
        return sharedPending;
    }

    /**
     * Reads the shared keys again (after a rotation on any replica, or once the store answers after
     * a start without it). Keys this replica published before and the store does not have stay
     * published. A no-op when keys are not shared.
     *
     * @throws RuntimeException when the store cannot be reached (the keys in use stay)
     */
    public synchronized void reloadShared() {
        if (shared.shared()) {
            State before = state;
            loadShared(before == null ? List.of() : before.published());
            sharedPending = false;
        }
    }

    /**
     * Makes a new key the signer on every replica (each switches when it reloads the shared keys;
     * this one at once); older keys stay published. Only with shared keys.
     *
     * @return the new key's id; empty, and nothing changed, when the store no longer holds
     *         {@link KeyChange#expectedVersion()} keys (someone rotated meanwhile)
     * @throws IllegalStateException when keys are not shared (files: nothing to rotate through)
     * @throws RuntimeException      when the store cannot be reached
     */
    public synchronized Optional<String> rotate(KeyChange rotation) {
        requireShared();
        String[] fresh = newKeyPem();
        boolean added = shared.add(fresh[0], fresh[1], rotation);
        reloadShared();
        return added ? Optional.of(fresh[0]) : Optional.empty();
    }

    /** What became of a request to retire a key. */
    public enum Retirement {
        /** No longer published by any replica (each drops it when it reloads the shared keys; this one at once). */
        RETIRED,
        /** Nothing changed: the key set is no longer at the version the admin read. */
        STALE,
        /** Nothing changed: no live key in the store has that id. */
        UNKNOWN,
        /** Nothing changed: the key signs (rotate first). */
        SIGNING
    }

    /**
     * Retires shared key {@code kid}: no replica publishes it any more, so upstreams stop accepting
     * assertions signed by it. The key that signs cannot be retired. Only with shared keys.
     *
     * @throws IllegalStateException when keys are not shared
     * @throws RuntimeException      when the store cannot be reached
     */
    public synchronized Retirement retire(String kid, KeyChange change) {
        requireShared();
        reloadShared(); // judge the kid against the key set at the store's version now
        if (version != change.expectedVersion()) {
            return Retirement.STALE;
        }
        if (!storeKids.contains(kid)) {
            return Retirement.UNKNOWN;
        }
        if (kid.equals(state.active().kid())) {
            return Retirement.SIGNING;
        }
        // the store checks the version again under its lock: at that version, kid is live and not the newest
        boolean retired = shared.retire(kid, change);
        reloadShared();
        return retired ? Retirement.RETIRED : Retirement.STALE;
    }

    private void requireShared() {
        if (!shared.shared()) {
            throw new IllegalStateException("changing the keys through the store needs shared keys (PostgreSQL): "
                    + "with files, add or remove key files in the data directory and restart");
        }
    }

    /** Whether keys are kept in the shared store, so that {@link #rotate} and {@link #retire} can work. */
    public boolean rotatable() {
        return shared.shared();
    }

    /**
     * The shared keys' version at the last read (keys added plus keys retired: it grows with every
     * change); 0 when keys are not shared or not read yet.
     */
    public int version() {
        return version;
    }

    /** The ids of the published keys, the signer first. */
    public List<String> publishedKids() {
        return state.published().stream().map(SigningKey::kid).toList();
    }

    private void loadShared(List<SigningKey> keepPublished) {
        AssertionKeyStore.Keys stored = shared.loadOrCreate(AssertionKeys::newKeyPem);
        Map<String, String> pems = stored.live();
        List<SigningKey> keys = new ArrayList<>();
        try {
            for (Map.Entry<String, String> e : pems.entrySet()) {
                keys.add(parse(e.getValue(), "shared key " + e.getKey()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("invalid shared assertion key", e);
        }
        List<SigningKey> published = new ArrayList<>(keys);
        for (SigningKey k : keepPublished) { // a retired key goes, whoever published it
            if (!stored.retired().contains(k.kid()) && published.stream().noneMatch(p -> p.kid().equals(k.kid()))) {
                published.add(k);
            }
        }
        State next = new State(keys.get(0), toJwks(published), List.copyOf(published));
        version = stored.version();
        storeKids = Set.copyOf(pems.keySet());
        State before = state;
        if (before != null && before.jwksJson().equals(next.jwksJson())
                && before.active().kid().equals(next.active().kid())) {
            return; // the same keys: keep the objects in use (assertions signed by the active key stay reusable)
        }
        state = next;
        if (before == null || !before.jwksJson().equals(next.jwksJson())) {
            LOG.infof("assertion signing key %s, shared by every replica (%d key(s) published)", next.active().kid(),
                    published.size());
        }
    }

    private static String[] newKeyPem() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            return new String[] {kidOf((ECPublicKey) pair.getPublic()), pem(pair)};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an assertion key", e);
        }
    }

    private static String pem(KeyPair pair) {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        return "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
                + b64.encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Private keys live in the data directory: one other users can enter deserves a warning. It is
     * left as it is: the operator made it, perhaps for a reason (a group-readable backup, say).
     */
    private static void warnIfOpen(Path dir) throws IOException {
        if (Files.isDirectory(dir) && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (!OWNER_DIR.containsAll(perms)) {
                LOG.warnf("data directory %s is %s, wider than rwx------ (0700): other users may list, and with "
                        + "write permission replace, the assertion signing keys; left as it is", dir,
                        PosixFilePermissions.toString(perms));
            }
        }
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
        return parse(Files.readString(pem), pem.toString());
    }

    private static SigningKey parse(String text, String pem) throws GeneralSecurityException {
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

    private static byte[] pemBlock(String text, String type, String file) throws GeneralSecurityException {
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
        String pem = pem(pair);
        Path file = dir.resolve(PREFIX + key.kid() + ".pem");
        writePrivate(dir, file, pem.getBytes(StandardCharsets.US_ASCII));
        LOG.infof("generated assertion signing key %s in %s", key.kid(), file);
        return key;
    }

    /**
     * Writes a private key so that no other user can ever read it and no reader (nor a restart after
     * a crash) ever sees it half-written: into a temporary file created 0600 in the same directory
     * (a name {@link #loadDir} ignores), synced, then renamed to the final name in one step. A
     * missing directory is created 0700. On a file system without POSIX permissions the file is
     * made owner-only as far as that file system allows.
     */
    static void writePrivate(Path dir, Path file, byte[] content) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID() + "-" + file.getFileName());
        try {
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else {
                Files.createFile(tmp);
                File f = tmp.toFile();
                f.setReadable(false, false); // best effort where permissions are not POSIX
                f.setWritable(false, false);
                f.setReadable(true, true);
                f.setWritable(true, true);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // on disk before the rename makes it visible under its final name
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file); // still never over an existing key
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
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
