package dev.gatehouse.access;

import dev.gatehouse.net.HostNormalizer;
import dev.gatehouse.net.PathNormalizer;

/**
 * A request target after the one normalisation: the host (lower case, no port, no trailing dot)
 * and the path that routing, policy and the upstream all see.
 *
 * @param host normalised host
 * @param path normalised path
 */
public record AccessTarget(String host, String path) {
    /** Gatehouse's own paths on every host, never subject to app policies. */
    public static final String RESERVED_PREFIX = "/.gatehouse/";

    /**
     * Normalises a raw authority and raw path (as received, percent-encoded).
     *
     * @return the target, or null when either is malformed or hostile (answer 400)
     */
    public static AccessTarget of(String rawAuthority, String rawPath) {
        String host = HostNormalizer.normalize(rawAuthority);
        String path = PathNormalizer.normalize(rawPath);
        return host == null || path == null ? null : new AccessTarget(host, path);
    }

    /** Whether the path is one of Gatehouse's reserved paths ({@code /.gatehouse/...}). */
    public boolean reserved() {
        return path.startsWith(RESERVED_PREFIX);
    }

    /** The same host with another (raw) path, normalised; null when that path is malformed. */
    public AccessTarget withPath(String rawPath) {
        String p = PathNormalizer.normalize(rawPath);
        return p == null ? null : new AccessTarget(host, p);
    }
}
