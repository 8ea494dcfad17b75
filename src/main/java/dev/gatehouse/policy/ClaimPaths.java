package dev.gatehouse.policy;

/**
 * Where an IdP puts identity and device facts in its tokens; dotted paths such as
 * {@code realm_access.roles}.
 */
public record ClaimPaths(String groups, String roles, String deviceId, String deviceCompliant,
                         String deviceManaged, String deviceTrust, String devicePostureAt) {

    /** The defaults of the contract. */
    public static final ClaimPaths DEFAULTS = new ClaimPaths("groups", "realm_access.roles", "device_id",
            "device_compliant", "device_managed", "device_trust", "device_posture_at");
}
