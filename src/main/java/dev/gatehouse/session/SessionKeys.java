package dev.gatehouse.session;

import dev.gatehouse.store.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The AES-256-GCM keys that encrypt session state at rest and the sign-in state cookies, kept in
 * the store so every replica has them. The newest key encrypts; every key still in the store
 * decrypts, so a rotation ({@code gatehouse.session.key-rotation}) never ends a session or a
 * sign-in under way. A sealed value is {@code keyId.base64url(iv || ciphertext+tag)}, bound to a
 * purpose string (GCM additional data) so a value sealed for one use never opens for another.
 * With PostgreSQL the store keeps the keys sealed with {@code gatehouse.store.key}
 * ({@link SessionStore}); a key this replica cannot unseal is an error naming the sealing key it
 * lacks, never a reason to make a new key (which would sign everyone out).
 */
public final class SessionKeys {
    private static final Logger LOG = Logger.getLogger(SessionKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SessionStore store;
    private final Clock clock;
    private final Duration rotation;
    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private volatile String currentId;

    public SessionKeys(SessionStore store, Clock clock, Duration rotation) {
        this.store = store;
        this.clock = clock;
        this.rotation = rotation;
    }

    /**
     * Makes a new key when the newest is older than the rotation period (or there is none), then
     * (re)loads every key. Worker thread only. Two replicas rotating at once each add a key; both
     * decrypt everywhere, and the newest encrypts.
     *
     * @throws dev.gatehouse.store.UnsealException when a stored key is sealed with a store key this
     *                                             replica lacks: then no key is added either
     */
    public synchronized void rotateIfDueAndLoad() {
        long now = clock.millis();
        long newest = store.newestKeyCreatedMs();
        if (newest < 0 || now - newest >= rotation.toMillis()) {
            // read first: a replica that cannot open the keys there (another gatehouse.store.key) must
            // not add one sealed with its own key, which the replicas that can would not open
            reload();
            byte[] material = new byte[32];
            RANDOM.nextBytes(material);
            String id = Secrets.random(9);
            store.addKey(id, Base64.getEncoder().encodeToString(material), now);
            LOG.infof("session key %s created (rotation every %s)", id, rotation);
        }
        reload();
    }

    /**
     * Reads every key from the store; the last (newest) becomes the current one. Worker thread only.
     *
     * @throws dev.gatehouse.store.UnsealException when a key is sealed with a store key this replica
     *                                             lacks (the keys read before stay)
     */
    public synchronized void reload() {
        Map<String, String> stored = store.keys();
        String last = null;
        for (Map.Entry<String, String> e : stored.entrySet()) {
            keys.computeIfAbsent(e.getKey(), k -> new SecretKeySpec(Base64.getDecoder().decode(e.getValue()), "AES"));
            last = e.getKey();
        }
        if (last != null) {
            currentId = last;
            keys.keySet().retainAll(stored.keySet()); // retired by a replica (retireUnused): nothing needs them
        }
    }

    /**
     * Deletes the keys no session and no sign-in under way can need (worker thread): those replaced
     * by a newer key more than {@code margin} ago that no session row names. The margin must cover
     * what may still carry a value sealed with a replaced key: a sign-in cookie (the login timeout)
     * and a replica that has not yet re-read the keys (its housekeeping interval). Without this the
     * table, and every replica's memory, would keep one key per rotation period for ever, each one
     * still opening whatever it sealed. Returns how many keys went.
     */
    public synchronized int retireUnused(Duration margin) {
        int deleted = store.deleteKeysReplacedBefore(clock.millis() - margin.toMillis());
        if (deleted > 0) {
            LOG.infof("%d session key(s) deleted: replaced more than %s ago and used by no session", deleted,
                    margin);
            reload();
        }
        return deleted;
    }

    /** Whether the key a sealed value names is known here (else {@link #reload} on a worker, then retry). */
    public boolean knows(String sealed) {
        int dot = sealed == null ? -1 : sealed.indexOf('.');
        return dot > 0 && keys.containsKey(sealed.substring(0, dot));
    }

    /** Whether the keys were read from the store (not before the store first answers). */
    public boolean loaded() {
        return currentId != null;
    }

    /** The id of the key that encrypts now. */
    public String currentId() {
        String id = currentId;
        if (id == null) {
            // only before the store first answered (Gatehouse starts without it): the store's trouble
            throw new dev.gatehouse.store.StoreUnavailableException(
                    "session keys not loaded: the store has not answered yet", null);
        }
        return id;
    }

    /** Encrypts {@code plain} for {@code purpose} with the current key. */
    public String seal(String plain, String purpose) {
        String id = currentId();
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(id), new GCMParameterSpec(128, iv));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return id + "." + B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt session state", e);
        }
    }

    /** Decrypts a value sealed for {@code purpose}; null when it is malformed, forged, or its key is unknown. */
    public String open(String sealed, String purpose) {
        int dot = sealed == null ? -1 : sealed.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        SecretKey key = keys.get(sealed.substring(0, dot));
        if (key == null) {
            return null;
        }
        try {
            byte[] in = B64D.decode(sealed.substring(dot + 1));
            if (in.length < IV_BYTES + 16) {
                return null;
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV_BYTES));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null; // tampered, truncated or not ours: the caller treats it as absent
        }
    }

    /** The key id of a sealed value. */
    static String keyIdOf(String sealed) {
        return sealed.substring(0, sealed.indexOf('.'));
    }
}
