package dev.gatehouse.policy;

/**
 * Where an IdP puts identity and device facts in its tokens; dotted paths such as
 * {@code realm_access.roles}. A null path means the IdP does not provide that fact.
 *
 * @param subject the user's stable id ({@code sub} by default; Entra ID's {@code oid} is the same
 *                user across applications, where its {@code sub} is pairwise per application)
 * @param email   the user's email ({@code email} by default)
 * @param name    the user's display name ({@code name} by default)
 */
public record ClaimPaths(String groups, String roles, String deviceId, String deviceCompliant,
                         String deviceManaged, String deviceTrust, String devicePostureAt,
                         String subject, String email, String name) {

    /** The defaults of the contract. */
    public static final ClaimPaths DEFAULTS = new ClaimPaths("groups", "realm_access.roles", "device_id",
            "device_compliant", "device_managed", "device_trust", "device_posture_at", "sub", "email", "name");

    /** Group, role and device paths with the standard {@code sub}, {@code email} and {@code name}. */
    public ClaimPaths(String groups, String roles, String deviceId, String deviceCompliant,
                      String deviceManaged, String deviceTrust, String devicePostureAt) {
        this(groups, roles, deviceId, deviceCompliant, deviceManaged, deviceTrust, devicePostureAt,
                "sub", "email", "name");
    }
}
