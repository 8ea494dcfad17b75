package dev.gatehouse.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one parser of IP address text in Gatehouse, shared by {@code source_ip} networks, trusted
 * proxies, forwarded hops and policy test cases, so that they cannot disagree:
 * <ul>
 *   <li>IPv4: a strict dotted quad, four decimal parts 0-255 without leading zeros ({@code 010.0.0.1}
 *       is refused: some stacks read it as octal 8.0.0.1);</li>
 *   <li>IPv6: a literal of hex digits, colons and an optional trailing dotted quad, optionally in
 *       brackets; no zone id; never a DNS lookup;</li>
 *   <li>an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 address it maps, for
 *       matching and for keys alike.</li>
 * </ul>
 */
public final class IpAddresses {
    private static final int MAX_TEXT = 47; // "[" + 45 chars of the longest IPv6 literal form + "]"

    private IpAddresses() {
    }

    /** Parses an IP literal; null when the text is not one. Mapped IPv6 addresses come back as IPv4. */
    public static InetAddress parse(String text) {
        byte[] bytes = parseBytes(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes); // raw bytes: no lookup; 16 mapped bytes give an Inet4Address
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The address's bytes with mapped IPv6 reduced to 4 bytes: what networks are matched against.
     */
    public static byte[] canonicalBytes(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 && isMapped(b) ? new byte[] {b[12], b[13], b[14], b[15]} : b;
    }

    /**
     * The key that per-address limits and caps count under: an IPv4 address itself, an IPv6 address
     * by its /64. One IPv6 client usually holds a whole /64, so keying by the full address would let
     * it mint 2^64 fresh buckets (and evict everyone else's).
     */
    public static String limitKey(InetAddress address) {
        byte[] b = canonicalBytes(address);
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        StringBuilder s = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return s.append(":/64").toString();
    }

    /**
     * Bytes of an IP literal (4 or 16, mapped IPv6 reduced to 4), or null. Accepts {@code [v6]}.
     */
    static byte[] parseBytes(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
            return null;
        }
        String t = text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']'
                ? text.substring(1, text.length() - 1) : text;
        if (t.indexOf(':') < 0) {
            return parseV4(t);
        }
        byte[] v6 = parseV6(t);
        return v6 != null && isMapped(v6) ? new byte[] {v6[12], v6[13], v6[14], v6[15]} : v6;
    }

    /** Like {@link #parseBytes} but keeps a mapped IPv6 address as 16 bytes (for a network's prefix rule). */
    static byte[] parseBytesKeepMapped(String text) {
        if (text == null || text.indexOf(':') < 0) {
            return parseBytes(text);
        }
        return parseV6(text);
    }

    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null; // leading zero: octal in some parsers, refused in all of ours
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] parseV6(String s) {
        // only hex digits, colons and dots: the JDK then parses a literal and never does a DNS lookup
        if (s.length() > 45) {
            return null;
        }
        int lastColon = s.lastIndexOf(':');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = Character.digit(c, 16) >= 0 || c == ':' || (c == '.' && i > lastColon);
            if (!ok) {
                return null;
            }
        }
        if (lastColon < s.length() - 1 && s.indexOf('.', lastColon) >= 0 && parseV4(s.substring(lastColon + 1)) == null) {
            return null; // the embedded IPv4 part follows the same strict rule
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            if (a instanceof Inet4Address) {
                // the JDK turns ::ffff:a.b.c.d into an IPv4 address; give back the mapped form
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
                return mapped;
            }
            return a instanceof Inet6Address ? a.getAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
