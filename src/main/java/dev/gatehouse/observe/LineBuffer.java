package dev.gatehouse.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that log lines are formatted straight into, as UTF-8, and written from in
 * one call: the decision log's writer keeps one for its lifetime, so a line costs no
 * {@code StringBuilder}, no {@code String} and no separate encoding pass. Not thread-safe.
 */
final class LineBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    LineBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int length() {
        return len;
    }

    /** Forgets everything after {@code length} (a line that could not be finished). */
    void truncate(int length) {
        len = length;
    }

    void clear() {
        len = 0;
    }

    /** A copy of the bytes from {@code from} to the end. */
    byte[] copyFrom(int from) {
        return Arrays.copyOfRange(buf, from, len);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    /** The content decoded (for tests and the logger output). */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    LineBuffer put(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    LineBuffer put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** {@code value} in decimal, as {@code StringBuilder.append(long)} writes it. */
    LineBuffer decimal(long value) {
        if (value == Long.MIN_VALUE) {
            return put(LONG_MIN);
        }
        ensure(20);
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len = end;
        return this;
    }

    /** {@code value} in decimal, at least two digits ({@code 07}); {@code 0 <= value < 100}. */
    LineBuffer twoDigits(int value) {
        ensure(2);
        buf[len++] = (byte) ('0' + value / 10);
        buf[len++] = (byte) ('0' + value % 10);
        return this;
    }

    /** {@code value} in decimal, at least three digits ({@code 042}); {@code 0 <= value < 1000}. */
    LineBuffer threeDigits(int value) {
        ensure(3);
        buf[len++] = (byte) ('0' + value / 100);
        buf[len++] = (byte) ('0' + value / 10 % 10);
        buf[len++] = (byte) ('0' + value % 10);
        return this;
    }

    /** {@code value} as UTF-8, unescaped (reason codes, which are kebab-case). */
    LineBuffer utf8(String value) {
        return text(value, false);
    }

    /**
     * {@code value} as the inside of a JSON string, UTF-8: {@code "} and {@code \} get a backslash,
     * other characters below U+0020 are {@code \}{@code u00XX} (lower-case hex), everything else is
     * written as it is.
     */
    LineBuffer jsonEscaped(String value) {
        return text(value, true);
    }

    private LineBuffer text(String value, boolean escape) {
        int n = value.length();
        ensure(n);
        byte[] b = buf;
        int p = len;
        // most values are printable ASCII: one byte per character, no escaping, no further bounds checks
        int i = 0;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80 || (escape && (c < 0x20 || c == '"' || c == '\\'))) {
                break;
            }
            b[p++] = (byte) c;
        }
        len = p;
        if (i < n) {
            slowText(value, i, escape);
        }
        return this;
    }

    /**
     * The rest of a value from {@code i}, character by character. Encodes as {@code String.getBytes(UTF_8)}
     * does, so the bytes equal those of the former {@code StringBuilder} line encoded whole: a surrogate
     * pair is one four-byte character, a lone surrogate is {@code ?}.
     */
    private void slowText(String value, int i, boolean escape) {
        int n = value.length();
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (escape && (c == '"' || c == '\\')) {
                put((byte) '\\').put((byte) c);
            } else if (escape && c < 0x20) {
                ensure(6);
                buf[len++] = '\\';
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 0xf];
            } else if (c < 0x80) {
                put((byte) c);
            } else if (c < 0x800) {
                ensure(2);
                buf[len++] = (byte) (0xc0 | c >> 6);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, value.charAt(++i));
                    ensure(4);
                    buf[len++] = (byte) (0xf0 | cp >> 18);
                    buf[len++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    buf[len++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    buf[len++] = (byte) (0x80 | cp & 0x3f);
                } else {
                    put((byte) '?'); // what the JDK's UTF-8 encoder writes for a malformed character
                }
            } else {
                ensure(3);
                buf[len++] = (byte) (0xe0 | c >> 12);
                buf[len++] = (byte) (0x80 | c >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            }
        }
    }
}
