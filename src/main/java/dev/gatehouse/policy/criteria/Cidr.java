package dev.gatehouse.policy.criteria;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network, parsed once into a masked byte array. IPv4-mapped IPv6 networks
 * ({@code ::ffff:10.0.0.0/104}) are stored as IPv4 so they match the same requests as
 * {@code 10.0.0.0/8}. Host bits after the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 */
final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /** Parses {@code addr/prefix} or a bare address (/32, /128); null when invalid. Never resolves names. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = addr.indexOf(':') >= 0 ? parseV6(addr) : parseV4(addr);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
        }
        if (bytes.length == 16 && isMapped(bytes)) {
            if (prefix < 96 || prefix > 128) {
                return null;
            }
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return new Cidr(v4, prefix - 96);
        }
        return prefix > max ? null : new Cidr(bytes, prefix);
    }

    /** Strict dotted quad: four decimal parts 0-255 without leading zeros (no octal ambiguity). */
    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        // only hex digits, colons and dots: the JDK then parses a literal and never does a DNS lookup
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            if (a instanceof Inet4Address) {
                // the JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the mapped form for the prefix rule
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
                return mapped;
            }
            return a.getAddress();
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

    /** Whether {@code addr} (4 or 16 bytes, mapped addresses already reduced to 4) is in this network. */
    boolean contains(byte[] addr) {
        if (addr.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >>> rest) & 0xff;
        return (addr[full] & mask) == (network[full] & 0xff);
    }
}
