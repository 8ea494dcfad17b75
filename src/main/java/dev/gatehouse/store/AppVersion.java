package dev.gatehouse.store;

import java.time.Instant;

/**
 * One immutable version of an app written through the admin API.
 *
 * @param appId       the app's id
 * @param version     1, 2, 3, ... per app
 * @param document    the app document (canonical JSON), or null for a deletion
 * @param deleted     whether this version deletes the app
 * @param author      who wrote it
 * @param at          when (millisecond precision)
 * @param comment     the author's comment, or null
 * @param contentHash SHA-256 of {@code document} (of "" for a deletion), hex
 */
public record AppVersion(String appId, long version, String document, boolean deleted, Actor author, Instant at,
                         String comment, String contentHash) {
}
