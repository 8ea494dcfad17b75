package dev.gatehouse.config;

import java.time.Duration;

/**
 * An app's own browser-session limits ({@code session: {max-age, idle-timeout}} in the app's YAML);
 * a null field means the process default ({@code gatehouse.session.max-age} / {@code idle-timeout}).
 *
 * @param maxAge      how long after sign-in a session may be used on this app, or null
 * @param idleTimeout how long a session may go unused before this app refuses it, or null
 */
public record SessionLimits(Duration maxAge, Duration idleTimeout) {
    /** No override: the process defaults apply. */
    public static final SessionLimits DEFAULTS = new SessionLimits(null, null);

    /** The max age for this app: its own, else {@code dflt}. */
    public Duration maxAgeOr(Duration dflt) {
        return maxAge == null ? dflt : maxAge;
    }

    /** The idle timeout for this app: its own, else {@code dflt}. */
    public Duration idleTimeoutOr(Duration dflt) {
        return idleTimeout == null ? dflt : idleTimeout;
    }
}
