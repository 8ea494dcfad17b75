package dev.gatehouse.net;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network, the one type behind {@code source_ip} and {@code gatehouse.trusted-proxies}.
 * Parsed once by {@link IpAddresses}' rules into a masked byte array. IPv4-mapped IPv6 networks
 * ({@code ::ffff:10.0.0.0/104}) are stored as IPv4 so they match the same requests as
 * {@code 10.0.0.0/8}, and a mapped client address matches IPv4 networks. Host bits after the prefix
 * are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). Immutable and thread-safe.
 */
public final class Cidr {
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
    public static Cidr parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text;
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = IpAddresses.parseBytesKeepMapped(addr);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
        }
        if (bytes.length == 16 && IpAddresses.isMapped(bytes)) {
            if (prefix < 96 || prefix > 128) {
                return null;
            }
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return new Cidr(v4, prefix - 96);
        }
        return prefix > max ? null : new Cidr(bytes, prefix);
    }

    /** Whether {@code address} is in this network (a mapped IPv6 address counts as its IPv4 address). */
    public boolean contains(InetAddress address) {
        return address != null && contains(IpAddresses.canonicalBytes(address));
    }

    /** Whether {@code addr} (4 or 16 bytes, mapped addresses already reduced to 4) is in this network. */
    public boolean contains(byte[] addr) {
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

    /** {@code network/prefix}, e.g. {@code 203.0.113.0/24}, for explanations. */
    @Override
    public String toString() {
        try {
            return java.net.InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
