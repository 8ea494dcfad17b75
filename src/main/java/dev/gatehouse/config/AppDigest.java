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
        MessageDigest md = sha256();
        write(md, appTree);
        md.update((byte) (idp == null ? 0 : 1));
        if (idp != null) {
            md.update(idp);
        }
        return HEX.formatHex(md.digest());
    }

    /** The digest of every setting of an IdP; computed once per IdP per load, not per app. */
    public static byte[] ofIdp(IdpConfig idp) {
        MessageDigest md = sha256();
        for (RecordComponent c : IdpConfig.class.getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(idp);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read IdpConfig." + c.getName(), e);
            }
            string(md, c.getName());
            // ClaimPaths and the other values are records or scalars: their toString holds all they are
            write(md, value == null ? null : value instanceof Boolean ? value : String.valueOf(value));
        }
        return md.digest();
    }

    /** Feeds one YAML value in a canonical, type-tagged, length-prefixed form. */
    private static void write(MessageDigest md, Object v) {
        if (v == null) {
            md.update((byte) 'Z');
        } else if (v instanceof Map<?, ?> map) {
            md.update((byte) 'M');
            length(md, map.size());
            String[] keys = new String[map.size()];
            int i = 0;
            for (Object k : map.keySet()) {
                keys[i++] = String.valueOf(k);
            }
            Arrays.sort(keys); // key order carries no meaning in YAML
            for (String k : keys) {
                string(md, k);
                write(md, map.get(k));
            }
        } else if (v instanceof List<?> list) {
            md.update((byte) 'L');
            length(md, list.size());
            for (Object item : list) {
                write(md, item);
            }
        } else if (v instanceof String s) {
            md.update((byte) 'S');
            string(md, s);
        } else if (v instanceof Boolean b) {
            md.update((byte) (b ? 'T' : 'F'));
        } else {
            // numbers (Integer, Long, BigInteger, Double) and whatever else the parser may produce
            md.update((byte) 'N');
            string(md, v.getClass().getSimpleName());
            string(md, v.toString());
        }
    }

    private static void string(MessageDigest md, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        length(md, bytes.length);
        md.update(bytes);
    }

    private static void length(MessageDigest md, int n) {
        md.update((byte) (n >>> 24));
        md.update((byte) (n >>> 16));
        md.update((byte) (n >>> 8));
        md.update((byte) n);
    }

    /** SHA-256 of raw bytes, hex: the digest of a whole config file, to see whether it changed at all. */
    public static String ofBytes(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
