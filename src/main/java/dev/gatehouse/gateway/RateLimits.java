package dev.gatehouse.gateway;

import dev.gatehouse.config.GatehouseSettings;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The data plane's rate limits, all answered with 429 and {@code Retry-After}:
 * <ul>
 *   <li>per client address ({@code gatehouse.rate-limit.per-ip}; IPv6 clients by /64), checked before anything else;</li>
 *   <li>per user ({@code gatehouse.rate-limit.per-user}), checked once the caller is known;</li>
 *   <li>signature checks per client address ({@code gatehouse.rate-limit.token-checks-per-ip}): a token
 *       not yet in the verified-token cache costs an RSA verification, so a flood of forged or random
 *       tokens is cut off here instead of buying unbounded work.</li>
 * </ul>
 */
@Singleton // fields are read directly: no client proxy
public class RateLimits {
    private static final long MAX_KEYS = 100_000;

    final RateLimiter perIp;
    final RateLimiter perUser;
    final RateLimiter tokenChecksPerIp;

    public RateLimits(GatehouseSettings settings, Clock clock) {
        GatehouseSettings.RateLimit r = settings.rateLimit();
        this.perIp = new RateLimiter(r.perIp(), r.perIp() * 2, MAX_KEYS, clock);
        this.perUser = new RateLimiter(r.perUser(), r.perUser() * 2, MAX_KEYS, clock);
        this.tokenChecksPerIp = new RateLimiter(r.tokenChecksPerIp(), r.tokenChecksPerIp() * 2, MAX_KEYS, clock);
    }
}
