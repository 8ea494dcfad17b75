package dev.gatehouse.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which address is the client's. {@code X-Forwarded-For} is believed only when the TCP
 * peer is a configured trusted proxy (none by default). Then all {@code X-Forwarded-For} lines are
 * joined in order into one list of hops, and the right-most hop that is not itself a trusted proxy
 * is the client. A hop that cannot be parsed ({@code unknown}, a name, {@code ip:port} with a bad
 * port, {@code [v6]:port} with a bad port) makes the client address UNKNOWN ({@code null}): it is
 * never replaced by the proxy's own address, so a {@code source_ip} rule cannot be satisfied by
 * the proxy. A valid {@code :port} suffix is stripped.
 */
public final class TrustedProxies {
    /** No trusted proxies: the TCP peer is always the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Cidr> cidrs;

    private TrustedProxies(List<Cidr> cidrs) {
        this.cidrs = cidrs;
    }

    /** @throws IllegalArgumentException naming the first invalid CIDR */
    public static TrustedProxies of(List<String> specs) {
        List<Cidr> out = new ArrayList<>();
        for (String spec : specs) {
            Cidr cidr = Cidr.parse(spec.trim());
            if (cidr == null) {
                throw new IllegalArgumentException("gatehouse.trusted-proxies: invalid CIDR '" + spec + "'");
            }
            out.add(cidr);
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
        byte[] bytes = IpAddresses.canonicalBytes(addr);
        for (Cidr c : cidrs) {
            if (c.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param peer the TCP peer
     * @param xff  every {@code X-Forwarded-For} line, in order, or null
     * @return the client address Gatehouse believes, or null when a hop it would have to believe
     *         cannot be parsed (unknown client)
     */
    public InetAddress clientAddress(InetAddress peer, List<String> xff) {
        if (cidrs.isEmpty() || xff == null || xff.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String line : xff) {
            for (String hop : line.split(",", -1)) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parseHop(hops.get(i));
            if (hop == null) {
                return null; // garbage where we need an answer: the client is unknown, not the proxy
            }
            if (!trusts(hop)) {
                return hop;
            }
        }
        return null; // every hop is one of our proxies: whoever is behind them did not say
    }

    /**
     * One forwarded hop: an IP literal, {@code ipv4:port} or {@code [ipv6]:port} (a valid port,
     * 1-65535, is stripped). Null for anything else.
     */
    public static InetAddress parseHop(String hop) {
        if (hop == null || hop.isEmpty()) {
            return null;
        }
        if (hop.charAt(0) == '[') {
            int close = hop.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = hop.substring(close + 1);
            if (!rest.isEmpty() && !(rest.charAt(0) == ':' && validPort(rest.substring(1)))) {
                return null;
            }
            return IpAddresses.parse(hop.substring(0, close + 1));
        }
        int colon = hop.indexOf(':');
        if (colon >= 0 && colon == hop.lastIndexOf(':')) {
            // exactly one colon: ipv4:port (a bare IPv6 literal has at least two)
            return validPort(hop.substring(colon + 1)) ? IpAddresses.parse(hop.substring(0, colon)) : null;
        }
        return IpAddresses.parse(hop);
    }

    private static boolean validPort(String p) {
        if (p.isEmpty() || p.length() > 5) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                return false;
            }
        }
        int port = Integer.parseInt(p);
        return port >= 1 && port <= 65535;
    }
}
