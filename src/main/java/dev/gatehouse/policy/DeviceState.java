package dev.gatehouse.policy;

/**
 * Device facts as the IdP asserted them, already reduced type-strictly by {@link IdentityFactory}.
 *
 * @param present       whether the token carried any device claim at all
 * @param id            the device id, or null
 * @param compliant     true only when the compliance claim was the JSON boolean {@code true}
 * @param managed       true only when the managed claim was the JSON boolean {@code true}
 * @param trust         the integer trust level, or null when absent or not an integer
 * @param postureAtEpochSeconds epoch seconds of the last posture check, or null
 */
public record DeviceState(boolean present, String id, boolean compliant, boolean managed,
                          Integer trust, Long postureAtEpochSeconds) {

    /** No device claim at all. */
    public static final DeviceState NONE = new DeviceState(false, null, false, false, null, null);
}
