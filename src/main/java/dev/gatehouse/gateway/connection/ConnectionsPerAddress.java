package dev.gatehouse.gateway.connection;

import dev.gatehouse.net.IpAddresses;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address, against a cap. IPv6 clients are counted by their /64
 * ({@link IpAddresses#limitKey}): one client usually holds a whole /64 and could otherwise open
 * {@code max} connections from each of its 2^64 addresses. An address with no open connection has
 * no entry, so the map holds at most one entry per open connection.
 */
final class ConnectionsPerAddress {
    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections allowed per address; 0 or less: no cap */
    ConnectionsPerAddress(int max) {
        this.max = max;
    }

    boolean enabled() {
        return max > 0;
    }

    /** Counts a new connection from {@code peer}, or refuses it (false) when the address is at the cap. */
    boolean tryOpen(InetAddress peer) {
        if (max <= 0) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(IpAddresses.limitKey(peer), (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0];
    }

    /** A counted connection from {@code peer} closed. */
    void closed(InetAddress peer) {
        open.computeIfPresent(IpAddresses.limitKey(peer), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Open connections counted for {@code peer}. */
    int openFrom(InetAddress peer) {
        return open.getOrDefault(IpAddresses.limitKey(peer), 0);
    }
}
