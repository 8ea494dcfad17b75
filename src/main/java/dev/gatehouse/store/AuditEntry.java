package dev.gatehouse.store;

import java.time.Instant;

/**
 * One entry of the audit log as stored: an {@link AuditEvent} with its place in the hash chain.
 *
 * @param seq      1, 2, 3, ... without gaps
 * @param at       when it was appended (millisecond precision)
 * @param event    what happened
 * @param prevHash the hash of entry {@code seq - 1} (64 zeros for the first)
 * @param hash     SHA-256 of {@code prevHash} and this entry's canonical form ({@link AuditChain})
 */
public record AuditEntry(long seq, Instant at, AuditEvent event, String prevHash, String hash) {
}
