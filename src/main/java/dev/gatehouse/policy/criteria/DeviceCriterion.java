package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.DeviceState;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Folding;
import dev.gatehouse.policy.match.Matcher;
import dev.gatehouse.policy.match.MatcherCompiler;

import java.util.Map;

/**
 * {@code device: {compliant, managed, id, min-trust, max-posture-age}} (at least one field).
 * Checked in this order, each with its own reason: no device claim at all:
 * {@code device-unauthenticated}; {@code compliant}/{@code managed} differ from the required
 * boolean, the id does not match, or the trust level is absent or below {@code min-trust}:
 * {@code device-unauthorized}; posture time absent, older than {@code max-posture-age}, or more
 * than 30 s in the future: {@code device-posture-stale}; else {@code device-ok}.
 */
public final class DeviceCriterion implements Criterion {
    private final Boolean compliant;
    private final Boolean managed;
    private final Matcher id;
    private final Integer minTrust;
    private final long maxPostureAgeSeconds;

    private DeviceCriterion(Boolean compliant, Boolean managed, Matcher id, Integer minTrust, long maxPostureAge) {
        this.compliant = compliant;
        this.managed = managed;
        this.id = id;
        this.minTrust = minTrust;
        this.maxPostureAgeSeconds = maxPostureAge;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Map<?, ?> map = Values.object(value, path, problems);
        if (map == null) {
            return null;
        }
        int before = problems.count();
        Boolean compliant = null;
        Boolean managed = null;
        Matcher id = null;
        Integer minTrust = null;
        long maxAge = -1;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String at = Problems.field(path, key);
            Object v = e.getValue();
            switch (key) {
                case "compliant" -> compliant = bool(v, at, problems);
                case "managed" -> managed = bool(v, at, problems);
                case "id" -> id = MatcherCompiler.compile(v, at, problems, Folding.EXACT, false);
                case "min-trust" -> {
                    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
                            && ((Number) v).longValue() <= Integer.MAX_VALUE) {
                        minTrust = ((Number) v).intValue();
                    } else {
                        problems.add(at, "expected a non-negative integer, found " + Problems.describe(v));
                    }
                }
                case "max-posture-age" -> maxAge = Values.durationSeconds(v, at, problems);
                default -> Values.unknownField(path, key, problems);
            }
        }
        if (problems.count() > before) {
            return null;
        }
        return new DeviceCriterion(compliant, managed, id, minTrust, maxAge);
    }

    private static Boolean bool(Object v, String at, Problems problems) {
        if (v instanceof Boolean b) {
            return b;
        }
        problems.add(at, "expected a boolean, found " + Problems.describe(v));
        return null;
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        DeviceState device = request.identity().device();
        if (!device.present()) {
            return Reason.DEVICE_UNAUTHENTICATED;
        }
        if ((compliant != null && compliant != device.compliant())
                || (managed != null && managed != device.managed())
                || (id != null && !id.matches(device.id()))
                || (minTrust != null && (device.trust() == null || device.trust() < minTrust))) {
            return Reason.DEVICE_UNAUTHORIZED;
        }
        if (maxPostureAgeSeconds >= 0) {
            Long postureAt = device.postureAtEpochSeconds();
            if (postureAt == null || request.time() == null
                    || !MaxAuthAgeCriterion.fresh(request.time().getEpochSecond(), postureAt, maxPostureAgeSeconds)) {
                return Reason.DEVICE_POSTURE_STALE;
            }
        }
        return Reason.DEVICE_OK;
    }

    @Override
    public Reason okReason() {
        return Reason.DEVICE_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.DEVICE_UNAUTHORIZED;
    }
}
