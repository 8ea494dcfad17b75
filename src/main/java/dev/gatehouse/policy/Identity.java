package dev.gatehouse.policy;

import java.util.List;
import java.util.Map;

/**
 * A verified caller, built from verified token claims by {@link IdentityFactory}. Facts the token
 * does not establish are null (or an incomplete {@link ClaimList}); policy criteria treat them as
 * unknown, never as false or empty.
 *
 * @param subject         the user's id: the {@code sub} claim (or the IdP's configured subject claim,
 *                        {@link ClaimPaths#subject()}), or null when it is not a string
 * @param email           the {@code email} claim, only when the IdP vouches for it (see
 *                        {@link IdentityFactory}); else null. This is the email upstreams are told.
 * @param emailUnverified whether the token carried an email the IdP does not vouch for (so a policy
 *                        can say {@code email-unverified} rather than {@code email-unknown})
 * @param groupsClaim     group names and whether they are complete
 * @param rolesClaim      role names and whether they are complete
 * @param amrClaim        authentication methods ({@code amr}) and whether they are known
 * @param acr             the {@code acr} claim, or null
 * @param authTimeEpochSeconds the {@code auth_time} claim, or null
 * @param device          device facts, {@link DeviceState#NONE} when absent
 * @param claims          the verified claims as a JSON-like tree (Map, List, String, Number, Boolean),
 *                        unmodifiable; read by {@code claim/<path>} criteria
 * @param name            the display name ({@code name}, or the IdP's {@link ClaimPaths#name()}), or
 *                        null when it is not a string; shown, never decided on
 */
public record Identity(String subject, String email, boolean emailUnverified, ClaimList groupsClaim,
                       ClaimList rolesClaim, ClaimList amrClaim, String acr, Long authTimeEpochSeconds,
                       DeviceState device, Map<String, Object> claims, String name) {

    public Identity {
        groupsClaim = groupsClaim == null ? ClaimList.UNKNOWN : groupsClaim;
        rolesClaim = rolesClaim == null ? ClaimList.UNKNOWN : rolesClaim;
        amrClaim = amrClaim == null ? ClaimList.UNKNOWN : amrClaim;
        claims = claims == null ? Map.of()
                : claims instanceof ReadOnlyClaims ? claims // read-only already: no wrapper per cached token
                : java.util.Collections.unmodifiableMap(claims);
        if (device == null) {
            device = DeviceState.NONE;
        }
    }

    /** An identity without a display name. */
    public Identity(String subject, String email, boolean emailUnverified, ClaimList groupsClaim,
                    ClaimList rolesClaim, ClaimList amrClaim, String acr, Long authTimeEpochSeconds,
                    DeviceState device, Map<String, Object> claims) {
        this(subject, email, emailUnverified, groupsClaim, rolesClaim, amrClaim, acr, authTimeEpochSeconds, device,
                claims, null);
    }

    /** The group names the token names (empty when unknown); what upstreams are told. */
    public List<String> groups() {
        return groupsClaim.values();
    }

    /** The role names the token names (empty when unknown). */
    public List<String> roles() {
        return rolesClaim.values();
    }

    /** The authentication methods the token names (empty when unknown). */
    public List<String> amr() {
        return amrClaim.values();
    }
}
