package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

/**
 * {@code max-auth-age: 15m}: the caller signed in (the {@code auth_time} claim) at most that long
 * before the request. A missing or non-integral {@code auth_time} is unknown
 * ({@code auth-time-unknown}); one more than {@link #CLOCK_SKEW_SECONDS} in the future (a clock or
 * token we cannot trust) requires re-authentication.
 */
public final class MaxAuthAgeCriterion implements Criterion {
    /** Tolerated clock difference between the IdP and Gatehouse, as for device posture. */
    public static final long CLOCK_SKEW_SECONDS = 30;

    private final long maxSeconds;

    private MaxAuthAgeCriterion(long maxSeconds) {
        this.maxSeconds = maxSeconds;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        long seconds = Values.durationSeconds(value, path, problems);
        return seconds < 0 ? null : new MaxAuthAgeCriterion(seconds);
    }

    @Override
    public boolean needsIdentity() {
        return true;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        Long authTime = request.identity().authTimeEpochSeconds();
        if (authTime == null) {
            return Reason.AUTH_TIME_UNKNOWN;
        }
        if (request.time() == null) {
            return Reason.TIME_UNKNOWN;
        }
        return fresh(request.time().getEpochSecond(), authTime, maxSeconds) ? Reason.AUTH_AGE_OK : Reason.REAUTH_REQUIRED;
    }

    /** Whether {@code at} lies within {@code maxAge} before {@code now}, tolerating the clock skew. */
    static boolean fresh(long now, long at, long maxAge) {
        long age = now - at;
        return age <= maxAge && age >= -CLOCK_SKEW_SECONDS;
    }

    @Override
    public Reason okReason() {
        return Reason.AUTH_AGE_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.REAUTH_REQUIRED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        Long authTime = request.identity().authTimeEpochSeconds();
        if (authTime == null) {
            return "no auth_time claim";
        }
        if (request.time() == null) {
            return "no request time";
        }
        long age = request.time().getEpochSecond() - authTime;
        return "signed in " + Values.age(age) + " ago, " + (result == Reason.AUTH_AGE_OK ? "within " : "more than ")
                + Values.age(maxSeconds) + " allowed";
    }
}
