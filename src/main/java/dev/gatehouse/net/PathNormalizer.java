package dev.gatehouse.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Normalises a request path once; the result is what routing, policy and the upstream all see.
 *
 * <p>Rejected (returns null, the caller answers 400): a path not starting with "/", traversal
 * segments ({@code .} or {@code ..}, however encoded), encoded slash or backslash, a raw backslash,
 * NUL and control characters (raw or encoded), double encoding ({@code %25} followed by two hex
 * digits), invalid percent escapes, invalid or overlong UTF-8, raw non-ASCII bytes and {@code ;}
 * path parameters (servlet containers strip them, so {@code /admin;x} would reach {@code /admin}
 * while a policy saw something else).
 *
 * <p>Canonicalised: percent-encoded unreserved characters are decoded ({@code /%61dmin} becomes
 * {@code /admin}, so a policy on {@code /admin} cannot be dodged), other escapes get upper-case hex,
 * and repeated slashes are merged.
 */
public final class PathNormalizer {
    private static final String HEX = "0123456789ABCDEF";

    private PathNormalizer() {
    }

    /** @return the normalised path, or null when the path must be rejected */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int segmentStart = 0; // index in out of the first char of the current segment
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '/') {
                if (isDotSegment(out, segmentStart)) {
                    return null;
                }
                if (out.length() > 0 && out.charAt(out.length() - 1) == '/') {
                    continue; // merge "//"
                }
                out.append('/');
                segmentStart = out.length();
            } else if (c == '%') {
                int consumed = appendEscape(raw, i, out);
                if (consumed < 0) {
                    return null;
                }
                i += consumed - 1;
            } else if (c <= 0x20 || c >= 0x7f || c == '\\' || c == ';' || c == '#' || c == '?') {
                return null;
            } else {
                out.append(c);
            }
        }
        if (isDotSegment(out, segmentStart)) {
            return null;
        }
        String result = out.toString();
        // decoding unreserved characters can assemble a second encoding layer (%25%32%65 -> %252e)
        return isDoubleEncodedAnywhere(result) ? null : result;
    }

    private static boolean isDoubleEncodedAnywhere(String normalised) {
        for (int i = normalised.indexOf("%25"); i >= 0; i = normalised.indexOf("%25", i + 1)) {
            if (isDoubleEncoded(normalised, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDotSegment(StringBuilder out, int start) {
        int len = out.length() - start;
        return (len == 1 && out.charAt(start) == '.') || (len == 2 && out.charAt(start) == '.' && out.charAt(start + 1) == '.');
    }

    /**
     * Handles the escape at {@code i} (and, for a UTF-8 sequence, the escapes that follow it).
     *
     * @return characters consumed, or -1 to reject
     */
    private static int appendEscape(String raw, int i, StringBuilder out) {
        int b = hexByte(raw, i);
        if (b < 0) {
            return -1;
        }
        if (b < 0x80) {
            char c = (char) b;
            if (b < 0x20 || b == 0x7f || c == '/' || c == '\\' || (c == '%' && isDoubleEncoded(raw, i))) {
                return -1;
            }
            if (isUnreserved(c)) {
                out.append(c);
            } else {
                appendHex(out, b);
            }
            return 3;
        }
        // a multi-byte UTF-8 sequence: validate strictly (rejects overlong forms such as %C0%AE)
        int count = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (count == 1) {
            return -1;
        }
        byte[] bytes = new byte[count];
        for (int k = 0; k < count; k++) {
            int v = hexByte(raw, i + 3 * k);
            if (v < 0) {
                return -1;
            }
            bytes[k] = (byte) v;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            return -1;
        }
        for (byte x : bytes) {
            appendHex(out, x & 0xff);
        }
        return 3 * count;
    }

    /** {@code %25} followed by two hex digits: a second layer of encoding that some upstream would decode. */
    private static boolean isDoubleEncoded(String raw, int i) {
        return i + 5 <= raw.length()
                && HEX.indexOf(Character.toUpperCase(raw.charAt(i + 3))) >= 0
                && HEX.indexOf(Character.toUpperCase(raw.charAt(i + 4))) >= 0;
    }

    private static int hexByte(String raw, int i) {
        if (i + 3 > raw.length() || raw.charAt(i) != '%') {
            return -1;
        }
        int hi = HEX.indexOf(Character.toUpperCase(raw.charAt(i + 1)));
        int lo = HEX.indexOf(Character.toUpperCase(raw.charAt(i + 2)));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static void appendHex(StringBuilder out, int b) {
        out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
