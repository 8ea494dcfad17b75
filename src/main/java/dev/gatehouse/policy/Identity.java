package dev.gatehouse.policy;

import java.util.List;
import java.util.Map;

/**
 * A verified caller, built from verified token claims by {@link IdentityFactory}.
 *
 * @param subject        the {@code sub} claim
 * @param email          the {@code email} claim, or null
 * @param groups         group names (never null; a single string claim counts as one group)
 * @param roles          role names (never null)
 * @param amr            authentication methods ({@code amr}), never null
 * @param acr            the {@code acr} claim, or null
 * @param authTimeEpochSeconds the {@code auth_time} claim, or null
 * @param device         device facts, {@link DeviceState#NONE} when absent
 * @param claims         the verified claims as a JSON-like tree (Map, List, String, Number, Boolean),
 *                       unmodifiable; read by {@code claim/<path>} criteria
 */
public record Identity(String subject, String email, List<String> groups, List<String> roles,
                       List<String> amr, String acr, Long authTimeEpochSeconds,
                       DeviceState device, Map<String, Object> claims) {

    public Identity {
        groups = List.copyOf(groups);
        roles = List.copyOf(roles);
        amr = List.copyOf(amr);
        claims = claims == null ? Map.of() : java.util.Collections.unmodifiableMap(claims);
        if (device == null) {
            device = DeviceState.NONE;
        }
    }
}
