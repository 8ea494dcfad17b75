package dev.gatehouse.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator's store sealing keys: {@code gatehouse.store.key}, which seals, and
 * {@code gatehouse.store.previous-keys}, which only unseal, so the key can be rotated without
 * losing what the old one sealed. A value is sealed with AES-256-GCM as
 * {@code v2:<key id>:base64(iv || ciphertext+tag)}; the key id is a short fingerprint of the key
 * (never the key), so a replica picks the one key that opens a value and says by name which key
 * is missing when it has none. Values sealed before key ids existed ({@code v1:base64(...)}) are
 * still read: each configured key is tried, the current one first.
 */
public final class SealingKeys {
    /** The format written. */
    static final String V2 = "v2:";
    /** The format of Gatehouse before key ids: still read, re-sealed as v2 by {@link ClusterKeys#reseal}. */
    static final String V1 = "v1:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One key and its id. */
    private record Key(String id, SecretKeySpec spec) {
    }

    private final Key current;
    /** Every key that may unseal, by id: the current one first, then the previous ones in their order. */
    private final Map<String, Key> readable;

    private SealingKeys(Key current, Map<String, Key> readable) {
        this.current = current;
        this.readable = readable;
    }

    /**
     * @param current  {@code gatehouse.store.key}: 32 bytes, base64
     * @param previous {@code gatehouse.store.previous-keys}: the same kind; blank entries and the
     *                 current key listed again are ignored
     * @throws IllegalArgumentException naming the setting (and the entry) that is not a valid key
     */
    public static SealingKeys of(String current, List<String> previous) {
        Key now = key(current, "gatehouse.store.key");
        Map<String, Key> readable = new LinkedHashMap<>();
        readable.put(now.id(), now);
        for (int i = 0; i < previous.size(); i++) {
            String p = previous.get(i);
            if (p == null || p.isBlank()) {
                continue;
            }
            Key k = key(p, "gatehouse.store.previous-keys[" + i + "]");
            Key same = readable.get(k.id());
            if (same != null && !MessageDigest.isEqual(same.spec().getEncoded(), k.spec().getEncoded())) {
                // 48 bits of SHA-256 colliding between two keys of one operator: not in practice, but never guess
                throw new IllegalArgumentException("gatehouse.store.previous-keys[" + i + "]: its key id " + k.id()
                        + " is that of another configured key; make a new key with `openssl rand -base64 32`");
            }
            readable.putIfAbsent(k.id(), k);
        }
        return new SealingKeys(now, Collections.unmodifiableMap(readable)); // in order: the current key first
    }

    /** One key only (no previous keys). */
    public static SealingKeys of(String current) {
        return of(current, List.of());
    }

    private static Key key(String base64, String setting) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": not base64 (make one with `openssl rand -base64 32`)");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(setting + ": must be 32 bytes (base64 of 32 random bytes, "
                    + "`openssl rand -base64 32`), got " + raw.length);
        }
        return new Key(idOf(raw), new SecretKeySpec(raw, "AES"));
    }

    /**
     * A key's id: 48 bits of SHA-256 over a label and the key, base64url (8 characters). Enough to
     * tell an operator's few keys apart; far too little to say anything about the key.
     */
    static String idOf(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("gatehouse store sealing key id\n".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest(raw);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 6));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The id of the key that seals ({@code gatehouse.store.key}). */
    public String currentId() {
        return current.id();
    }

    /** The ids of the previous keys configured here (the current key not among them), in their order. */
    public List<String> previousIds() {
        List<String> out = new ArrayList<>(readable.keySet());
        out.remove(current.id());
        return List.copyOf(out);
    }

    /** Seals {@code text} with the current key, bound to {@code associated} (GCM additional data). */
    String seal(String associated, String text) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return V2 + current.id() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a value", e);
        }
    }

    /** Whether {@code sealed} is in the current format under the current key (a re-seal leaves it). */
    boolean sealedWithCurrent(String sealed) {
        return sealed.startsWith(V2 + current.id() + ":");
    }

    /**
     * The id of the key {@code sealed} names; for {@code v1:}, which names none, the id of the
     * configured key that opens it, or {@code "v1"} when none does.
     */
    String keyIdOf(String associated, String sealed) {
        if (sealed.startsWith(V2)) {
            int colon = sealed.indexOf(':', V2.length());
            return colon < 0 ? "unknown" : sealed.substring(V2.length(), colon);
        }
        for (Key k : readable.values()) {
            if (sealed.startsWith(V1) && open(k, associated, sealed.substring(V1.length())) != null) {
                return k.id();
            }
        }
        return "v1";
    }

    /**
     * Opens a value sealed by {@link #seal} (or by Gatehouse before key ids, {@code v1:}).
     *
     * @param what what the value is, for the error ("cluster key assertion/k1")
     * @throws UnsealException saying which key is missing, or that the value was altered
     */
    String unseal(String associated, String sealed, String what) {
        if (sealed.startsWith(V2)) {
            int colon = sealed.indexOf(':', V2.length());
            if (colon < 0) {
                throw new UnsealException(what + " cannot be unsealed: malformed (no key id)");
            }
            String id = sealed.substring(V2.length(), colon);
            Key k = readable.get(id);
            if (k == null) {
                throw new UnsealException(what + " is sealed with store key " + id + ", which this replica "
                        + "does not have (" + configured() + "). Give it that key: as gatehouse.store.key, or in "
                        + "gatehouse.store.previous-keys (GATEHOUSE_STORE_PREVIOUS_KEYS) while rotating; see "
                        + "\"Rotating the sealing key\" in the README.");
            }
            String text = open(k, associated, sealed.substring(colon + 1));
            if (text == null) {
                throw new UnsealException(what + " cannot be unsealed with store key " + id + ", whose id it "
                        + "names: the stored value was altered or belongs to another row");
            }
            return text;
        }
        if (sealed.startsWith(V1)) {
            for (Key k : readable.values()) {
                String text = open(k, associated, sealed.substring(V1.length()));
                if (text != null) {
                    return text;
                }
            }
            throw new UnsealException(what + " cannot be unsealed by any key this replica has (" + configured()
                    + "): is gatehouse.store.key the same on every replica as when it was stored? While rotating, "
                    + "the old key goes in gatehouse.store.previous-keys (GATEHOUSE_STORE_PREVIOUS_KEYS); see "
                    + "\"Rotating the sealing key\" in the README.");
        }
        throw new UnsealException(what + " cannot be unsealed: unknown format");
    }

    /** Whether {@code stored} is a sealed value (either format) rather than plain text. */
    static boolean isSealed(String stored) {
        return stored.startsWith(V2) || stored.startsWith(V1);
    }

    /**
     * The error for a sealed value met by a replica that has no sealing key at all (PostgreSQL
     * without {@code gatehouse.store.key}, which a key file allows): it names the key the value
     * needs, as {@link #unseal} does.
     *
     * @param what what the value is, for the error ("session key k1")
     */
    static UnsealException noKeyFor(String sealed, String what) {
        int colon = sealed.startsWith(V2) ? sealed.indexOf(':', V2.length()) : -1;
        String needs = colon < 0 ? "a store key (sealed before key ids)"
                : "store key " + sealed.substring(V2.length(), colon);
        return new UnsealException(what + " is sealed with " + needs + ", and this replica has no "
                + "gatehouse.store.key. Give it the same gatehouse.store.key (GATEHOUSE_STORE_KEY) as the replicas "
                + "that sealed it; see \"Rotating the sealing key\" in the README.");
    }

    /** What this replica has, by key id, for an error. */
    private String configured() {
        List<String> previous = previousIds();
        return "gatehouse.store.key is " + current.id() + (previous.isEmpty() ? ", no previous keys"
                : ", gatehouse.store.previous-keys " + String.join(", ", previous));
    }

    /** The plain text, or null when {@code key} does not open {@code base64} for {@code associated}. */
    private static String open(Key key, String associated, String base64) {
        try {
            byte[] all = Base64.getDecoder().decode(base64);
            if (all.length < IV_BYTES + 16) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(128, all, 0, IV_BYTES));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
