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
 * {@code device: {compliant, managed, id, min-trust, max-posture-age}} (at least one field), every
 * field required (a three-valued {@code and}). Each outcome has its own reason, in this order:
 * <ol>
 *   <li>no device claim at all: unknown, {@code device-unauthenticated};</li>
 *   <li>{@code compliant}/{@code managed} differ from the required boolean, the id does not match,
 *       or the trust level is below {@code min-trust}: {@code device-unauthorized};</li>
 *   <li>posture time older than {@code max-posture-age}, or more than 30 s in the future:
 *       {@code device-posture-stale};</li>
 *   <li>a fact a field asks for is missing or of the wrong type (compliant {@code "true"}, a
 *       string trust level, no posture time): unknown, {@code device-unknown} (without a request
 *       time: {@code time-unknown});</li>
 *   <li>else {@code device-ok}.</li>
 * </ol>
 * A definite failure wins over an unknown, as in {@code and}.
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

    /** One setting per field this criterion requires (each field reads one device claim). */
    @Override
    public java.util.Set<String> claimSettings() {
        java.util.Set<String> read = new java.util.LinkedHashSet<>();
        if (compliant != null) {
            read.add("device-compliant");
        }
        if (managed != null) {
            read.add("device-managed");
        }
        if (id != null) {
            read.add("device-id");
        }
        if (minTrust != null) {
            read.add("device-trust");
        }
        if (maxPostureAgeSeconds >= 0) {
            read.add("device-posture-at");
        }
        return java.util.Collections.unmodifiableSet(read);
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
        boolean unknown = false;
        if (compliant != null) {
            if (device.compliantClaim() == null) {
                unknown = true;
            } else if (!compliant.equals(device.compliantClaim())) {
                return Reason.DEVICE_UNAUTHORIZED;
            }
        }
        if (managed != null) {
            if (device.managedClaim() == null) {
                unknown = true;
            } else if (!managed.equals(device.managedClaim())) {
                return Reason.DEVICE_UNAUTHORIZED;
            }
        }
        if (id != null) {
            if (device.id() == null) {
                unknown = true;
            } else if (!id.matches(device.id())) {
                return Reason.DEVICE_UNAUTHORIZED;
            }
        }
        if (minTrust != null) {
            if (device.trust() == null) {
                unknown = true;
            } else if (device.trust() < minTrust) {
                return Reason.DEVICE_UNAUTHORIZED;
            }
        }
        boolean noTime = false;
        if (maxPostureAgeSeconds >= 0) {
            Long postureAt = device.postureAtEpochSeconds();
            if (postureAt == null) {
                unknown = true;
            } else if (request.time() == null) {
                noTime = true;
            } else if (!MaxAuthAgeCriterion.fresh(request.time().getEpochSecond(), postureAt, maxPostureAgeSeconds)) {
                return Reason.DEVICE_POSTURE_STALE;
            }
        }
        return unknown ? Reason.DEVICE_UNKNOWN : noTime ? Reason.TIME_UNKNOWN : Reason.DEVICE_OK;
    }

    @Override
    public Reason okReason() {
        return Reason.DEVICE_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.DEVICE_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        DeviceState device = request.identity().device();
        if (!device.present()) {
            return "no device claim (no device_id or other device fact in the sign-in)";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (compliant != null) {
            parts.add(device.compliantClaim() == null ? "compliance unknown (no boolean claim)"
                    : "compliant " + device.compliantClaim() + (compliant.equals(device.compliantClaim()) ? "" : ", " + compliant + " required"));
        }
        if (managed != null) {
            parts.add(device.managedClaim() == null ? "management unknown (no boolean claim)"
                    : "managed " + device.managedClaim() + (managed.equals(device.managedClaim()) ? "" : ", " + managed + " required"));
        }
        if (id != null) {
            parts.add(device.id() == null ? "no device id" : "device id '" + device.id() + "' " + id.explain(device.id()));
        }
        if (minTrust != null) {
            parts.add(device.trust() == null ? "trust level unknown" : "trust level " + device.trust()
                    + (device.trust() < minTrust ? ", below " : ", at least ") + minTrust);
        }
        if (maxPostureAgeSeconds >= 0) {
            Long at = device.postureAtEpochSeconds();
            if (at == null) {
                parts.add("no posture check time");
            } else if (request.time() == null) {
                parts.add("no request time");
            } else {
                long age = request.time().getEpochSecond() - at;
                boolean fresh = MaxAuthAgeCriterion.fresh(request.time().getEpochSecond(), at, maxPostureAgeSeconds);
                parts.add(age < -MaxAuthAgeCriterion.CLOCK_SKEW_SECONDS ? "posture checked " + Values.age(-age)
                        + " in the future" : "posture checked " + Values.age(age) + " ago, "
                        + (fresh ? "within " : "more than ") + Values.age(maxPostureAgeSeconds) + " allowed");
            }
        }
        return "device: " + String.join("; ", parts);
    }
}
