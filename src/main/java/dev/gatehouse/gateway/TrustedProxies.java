package dev.gatehouse.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which address is the client's. {@code X-Forwarded-For} is believed only when the peer is
 * a configured trusted proxy (none by default); then the right-most address that is not itself a
 * trusted proxy is the client.
 */
public final class TrustedProxies {
    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> cidrs;

    private TrustedProxies(List<Cidr> cidrs) {
        this.cidrs = cidrs;
    }

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** @throws IllegalArgumentException naming the first invalid CIDR */
    public static TrustedProxies of(List<String> specs) {
        List<Cidr> out = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.trim().split("/", 2);
            InetAddress addr = parseLiteral(parts[0]);
            if (addr == null) {
                throw new IllegalArgumentException("gatehouse.trusted-proxies: invalid CIDR '" + spec + "'");
            }
            byte[] bytes = addr.getAddress();
            int bits = bytes.length * 8;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("gatehouse.trusted-proxies: invalid CIDR '" + spec + "'");
                }
            }
            out.add(new Cidr(bytes, bits));
        }
        return new TrustedProxies(List.copyOf(out));
    }

    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    public boolean trusts(InetAddress addr) {
        if (addr == null) {
            return false;
        }
        byte[] bytes = addr.getAddress();
        for (Cidr c : cidrs) {
            if (c.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param peer the TCP peer
     * @param xff  all {@code X-Forwarded-For} values, or null
     * @return the client address Gatehouse believes
     */
    public InetAddress clientAddress(InetAddress peer, List<String> xff) {
        if (cidrs.isEmpty() || xff == null || xff.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String v : xff) {
            for (String h : v.split(",")) {
                hops.add(h.trim());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parseLiteral(hops.get(i));
            if (hop == null) {
                return client; // garbage in the chain: stop at the last address we could trust
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    /**
     * The TCP peer's address: always an IP literal from the socket, so it is parsed directly (no
     * validation pass, never a DNS lookup).
     */
    public static InetAddress peerAddress(String hostAddress) {
        try {
            return InetAddress.getByName(hostAddress);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Parses an IP literal without any DNS lookup; null when it is not one. */
    public static InetAddress parseLiteral(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        boolean v6 = t.indexOf(':') >= 0 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (v4) {
            String[] parts = t.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    return null;
                }
            }
        } else if (!v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
