package dev.gatehouse.identity;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Cache key of a bearer token for one IdP tenant: the tenant and the SHA-256 of the token, so caches
 * never hold tokens themselves. Computed straight from the {@code Authorization} header, without
 * copying the token out of it (this runs on every request).
 *
 * @param tenant the quarkus-oidc tenant id of the IdP
 */
public record TokenKey(String tenant, long h0, long h1, long h2, long h3) {
    private static final int MAX = 16 * 1024;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[MAX]);

    /**
     * @param text  the string holding the token (e.g. the whole Authorization header value)
     * @param start index of the token's first character
     * @param end   index after its last character; at most 16 KiB after start
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, as wanted
    public static TokenKey of(String tenant, String text, int start, int end) {
        byte[] buf = BUFFER.get();
        int n = end - start;
        // each char's low byte, as the (byte) cast did, in one intrinsic copy: tokens are ASCII
        // (checked before first use)
        text.getBytes(start, end, buf, 0);
        MessageDigest md = SHA256.get();
        md.update(buf, 0, n);
        ByteBuffer d = ByteBuffer.wrap(md.digest());
        return new TokenKey(tenant, d.getLong(), d.getLong(), d.getLong(), d.getLong());
    }

    @Override
    public String toString() {
        return tenant + ":" + Long.toHexString(h0); // never the whole digest in logs
    }
}
