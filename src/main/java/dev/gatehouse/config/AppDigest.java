package dev.gatehouse.config;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The content digest of one app's effective definition: its YAML subtree plus every setting of the
 * IdP it names. Two loads that give an app the same digest would compile it to the same thing, so a
 * reload keeps the compiled app and its policy version; any other digest is a change.
 *
 * <p>SHA-256, because a collision would silently keep an old policy in force. The subtree is read as
 * the parser hands it over (maps, lists, scalars), so comments, layout, quoting and the order of
 * keys do not count; a value's type does ({@code "true"} is not {@code true}). The IdP counts by its
 * values after {@code ${ENV}} interpolation, the secret included (browser login uses it), every
 * component of {@link IdpConfig} taken by reflection so a field added later cannot be forgotten.
 */
public final class AppDigest {
    private static final HexFormat HEX = HexFormat.of();

    private AppDigest() {
    }

    /**
     * The digest of an app's subtree with the digest of its IdP ({@link #ofIdp}); null {@code idp}
     * when the app names no known IdP.
     */
    public static String of(Object appTree, byte[] idp) {
        Canonical out = new Canonical();
        out.value(appTree);
        out.tag(idp == null ? 0 : 1);
        MessageDigest md = sha256();
        md.update(out.bytes, 0, out.length);
        if (idp != null) {
            md.update(idp);
        }
        return HEX.formatHex(md.digest());
    }

    /** The digest of every setting of an IdP; computed once per IdP per load, not per app. */
    public static byte[] ofIdp(IdpConfig idp) {
        Canonical out = new Canonical();
        for (RecordComponent c : IdpConfig.class.getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(idp);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read IdpConfig." + c.getName(), e);
            }
            out.string(c.getName());
            // ClaimPaths and the other values are records or scalars: their toString holds all they are;
            // a CA file's certificates count too (a replaced CA gives the IdP new clients and keys)
            out.value(value == null ? null : value instanceof Boolean ? value
                    : value instanceof IdpCa ca ? ca.file() + "\n" + ca.pem() : String.valueOf(value));
        }
        return sha256().digest(Arrays.copyOf(out.bytes, out.length));
    }

    /**
     * A YAML value in a canonical, type-tagged, length-prefixed byte form, gathered in one buffer and
     * digested in one call (a call per scalar costs more than the hashing itself).
     */
    private static final class Canonical {
        byte[] bytes = new byte[512];
        int length;

        void value(Object v) {
            if (v == null) {
                tag('Z');
            } else if (v instanceof Map<?, ?> map) {
                tag('M');
                count(map.size());
                String[] keys = new String[map.size()];
                int i = 0;
                for (Object k : map.keySet()) {
                    keys[i++] = String.valueOf(k);
                }
                Arrays.sort(keys); // key order carries no meaning in YAML
                for (String k : keys) {
                    string(k);
                    value(map.get(k));
                }
            } else if (v instanceof List<?> list) {
                tag('L');
                count(list.size());
                for (Object item : list) {
                    value(item);
                }
            } else if (v instanceof String s) {
                tag('S');
                string(s);
            } else if (v instanceof Boolean b) {
                tag(b ? 'T' : 'F');
            } else {
                // numbers (Integer, Long, BigInteger, Double) and whatever else the parser may produce
                tag('N');
                string(v.getClass().getSimpleName());
                string(v.toString());
            }
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            count(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
        }

        void count(int n) {
            room(4);
            bytes[length++] = (byte) (n >>> 24);
            bytes[length++] = (byte) (n >>> 16);
            bytes[length++] = (byte) (n >>> 8);
            bytes[length++] = (byte) n;
        }

        void tag(int t) {
            room(1);
            bytes[length++] = (byte) t;
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }
    }

    /** SHA-256 of raw bytes, hex: the digest of a whole config file, to see whether it changed at all. */
    public static String ofBytes(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    /** Cloned per digest: a provider lookup per app costs more than hashing the app (10,000 in a load). */
    private static final MessageDigest SHA256 = newSha256();

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
