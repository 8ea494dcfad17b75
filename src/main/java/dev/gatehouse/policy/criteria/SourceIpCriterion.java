package dev.gatehouse.policy.criteria;

import dev.gatehouse.net.Cidr;
import dev.gatehouse.net.IpAddresses;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * {@code source_ip: {in: [cidr...], not_in: [cidr...]}} (at least one): the client address is in
 * one of {@code in} (when given) and in none of {@code not_in}. IPv4 and IPv6; an IPv4-mapped
 * IPv6 client ({@code ::ffff:1.2.3.4}) matches IPv4 networks. An unknown client address is unknown ({@code source-ip-unknown}).
 */
public final class SourceIpCriterion implements Criterion {
    private final Cidr[] in;
    private final Cidr[] notIn;

    private SourceIpCriterion(Cidr[] in, Cidr[] notIn) {
        this.in = in;
        this.notIn = notIn;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Map<?, ?> map = Values.object(value, path, problems);
        if (map == null) {
            return null;
        }
        int before = problems.count();
        Cidr[] in = null;
        Cidr[] notIn = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            switch (key) {
                case "in" -> in = cidrs(e.getValue(), Problems.field(path, key), problems);
                case "not_in" -> notIn = cidrs(e.getValue(), Problems.field(path, key), problems);
                default -> Values.unknownField(path, key, problems);
            }
        }
        return problems.count() > before ? null : new SourceIpCriterion(in, notIn);
    }

    private static Cidr[] cidrs(Object value, String path, Problems problems) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(path, "expected a non-empty list of CIDRs, found " + Problems.describe(value));
            return null;
        }
        Cidr[] out = new Cidr[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object item = list.get(i);
            out[i] = item instanceof String s ? Cidr.parse(s) : null;
            if (out[i] == null) {
                problems.add(Problems.index(path, i), "invalid CIDR "
                        + (item instanceof String ? "'" + item + "'" : Problems.describe(item)));
            }
        }
        return out;
    }

    @Override
    public boolean needsIdentity() {
        return false;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        InetAddress source = request.sourceIp();
        if (source == null) {
            return Reason.SOURCE_IP_UNKNOWN;
        }
        byte[] addr = IpAddresses.canonicalBytes(source);
        if (in != null && !any(in, addr)) {
            return Reason.SOURCE_IP_UNAUTHORIZED;
        }
        return notIn != null && any(notIn, addr) ? Reason.SOURCE_IP_UNAUTHORIZED : Reason.SOURCE_IP_OK;
    }

    private static boolean any(Cidr[] cidrs, byte[] addr) {
        for (Cidr c : cidrs) {
            if (c.contains(addr)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Reason okReason() {
        return Reason.SOURCE_IP_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.SOURCE_IP_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        InetAddress source = request.sourceIp();
        if (source == null) {
            return "no source address";
        }
        byte[] addr = IpAddresses.canonicalBytes(source);
        StringBuilder sb = new StringBuilder("source address ").append(source.getHostAddress());
        if (in != null) {
            sb.append(any(in, addr) ? " is in " : " is not in ").append(java.util.Arrays.toString(in));
        }
        if (notIn != null) {
            sb.append(in != null ? " and" : "").append(any(notIn, addr) ? " is in " : " is not in ")
                    .append(java.util.Arrays.toString(notIn)).append(" (not_in)");
        }
        return sb.toString();
    }
}
