package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hash chain of the audit log: {@code hash = SHA-256(prev_hash || canonical entry)}, hex. The
 * canonical form is a JSON array of every field in a fixed order (strings escaped by JSON, nulls as
 * null), so no two different entries share one, whatever their values contain. Changing any field
 * of an entry, removing one or reordering them breaks the chain from there on.
 */
public final class AuditChain {
    /** The {@code prev_hash} of the first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /** The hash of an entry with these fields following the entry whose hash is {@code prevHash}. */
    public static String hash(String prevHash, long seq, long atMillis, AuditEvent e) {
        return sha256(prevHash + canonical(seq, atMillis, e));
    }

    static String canonical(long seq, long atMillis, AuditEvent e) {
        Object[] fields = {seq, atMillis, e.actor().subject(), e.actor().idp(), e.action(), e.appId(),
            e.clientAddress(), e.requestId(), e.outcome(), e.detail()};
        try {
            return JSON.writeValueAsString(Arrays.asList(fields));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** SHA-256 of the UTF-8 bytes, lower-case hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
