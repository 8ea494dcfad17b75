package dev.gatehouse.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256 of a raw token, so caches never hold tokens themselves. */
final class TokenHash {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private TokenHash() {
    }

    /** @return {@code tenant + ":" + base64url(sha256(token))} */
    static String key(String tenant, String token) {
        byte[] digest = SHA256.get().digest(token.getBytes(StandardCharsets.ISO_8859_1));
        return tenant + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
