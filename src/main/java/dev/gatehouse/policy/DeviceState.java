package dev.gatehouse.policy;

/**
 * Device facts as the IdP asserted them, already reduced type-strictly by {@link IdentityFactory}.
 * A fact that is absent or of the wrong JSON type is null: unknown, which is not the same as false
 * (a device that sends {@code device_compliant: "true"} has not said it is compliant, nor that it is not).
 *
 * @param present         whether the token carried any device claim at all
 * @param id              the device id, or null when absent or not a string
 * @param compliantClaim  the compliance claim when it is a JSON boolean, else null
 * @param managedClaim    the managed claim when it is a JSON boolean, else null
 * @param trust           the integer trust level, or null when absent or not an integer
 * @param postureAtEpochSeconds epoch seconds of the last posture check, or null when absent or not an integer
 */
public record DeviceState(boolean present, String id, Boolean compliantClaim, Boolean managedClaim,
                          Integer trust, Long postureAtEpochSeconds) {

    /** No device claim at all. */
    public static final DeviceState NONE = new DeviceState(false, null, null, null, null, null);

    /** Whether the IdP asserted compliance with the JSON boolean {@code true}; what upstreams are told. */
    public boolean compliant() {
        return Boolean.TRUE.equals(compliantClaim);
    }

    /** Whether the IdP asserted management with the JSON boolean {@code true}; what upstreams are told. */
    public boolean managed() {
        return Boolean.TRUE.equals(managedClaim);
    }
}
