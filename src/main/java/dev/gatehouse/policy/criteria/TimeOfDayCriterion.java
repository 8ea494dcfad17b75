package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Map;

/**
 * {@code time_of_day: {from: "09:00", to: "17:30", tz: "Europe/Berlin"}}: the wall-clock time in
 * {@code tz} (default UTC) is in [from, to). {@code from} after {@code to} means a window across
 * midnight; {@code to: "24:00"} means end of day. The zone's own rules apply, so on a DST change
 * a window may last an hour more or less, and a wall time skipped that day never matches.
 * Without a request time the criterion is unknown ({@code time-unknown}).
 */
public final class TimeOfDayCriterion implements Criterion {
    private static final int DAY = 86_400;

    private final int fromSecond;
    private final int toSecond;
    private final ZoneRules rules;
    private final ZoneId zone;

    private TimeOfDayCriterion(int fromSecond, int toSecond, ZoneId zone) {
        this.fromSecond = fromSecond;
        this.toSecond = toSecond;
        this.rules = zone.getRules();
        this.zone = zone;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Map<?, ?> map = Values.object(value, path, problems);
        if (map == null) {
            return null;
        }
        int before = problems.count();
        for (Object key : map.keySet()) {
            if (!"from".equals(key) && !"to".equals(key) && !"tz".equals(key)) {
                Values.unknownField(path, key, problems);
            }
        }
        int from = clock(map.get("from"), Problems.field(path, "from"), false, problems);
        int to = clock(map.get("to"), Problems.field(path, "to"), true, problems);
        ZoneId zone = Values.zone(map.get("tz"), Problems.field(path, "tz"), problems);
        if (from >= 0 && from == to) {
            problems.add(path, "'from' and 'to' must differ");
        }
        return problems.count() > before ? null : new TimeOfDayCriterion(from, to % DAY, zone);
    }

    /** Parses "HH:mm" or "HH:mm:ss" into seconds of the day; "24:00" only as an end. -1 on error. */
    private static int clock(Object value, String path, boolean end, Problems problems) {
        if (value == null) {
            problems.add(path, "missing (expected a time like \"09:00\")");
            return -1;
        }
        if (value instanceof String s) {
            if (end && (s.equals("24:00") || s.equals("24:00:00"))) {
                return DAY;
            }
            try {
                return LocalTime.parse(s).toSecondOfDay();
            } catch (DateTimeException e) {
                // fall through to the error below
            }
        }
        problems.add(path, "invalid time " + (value instanceof String ? "'" + value + "'" : Problems.describe(value))
                + " (expected HH:mm or HH:mm:ss)");
        return -1;
    }

    /** Seconds since the epoch on the local wall clock of {@code rules} at {@code instant}. */
    static long localEpochSecond(Instant instant, ZoneRules rules) {
        return instant.getEpochSecond() + rules.getOffset(instant).getTotalSeconds();
    }

    @Override
    public boolean needsIdentity() {
        return false;
    }

    @Override
    public Reason evaluate(AccessRequest request) {
        if (request.time() == null) {
            return Reason.TIME_UNKNOWN;
        }
        int t = (int) Math.floorMod(localEpochSecond(request.time(), rules), (long) DAY);
        // toSecond 0 stands for "24:00": the window then runs to the end of the day
        boolean inside = fromSecond < toSecond || toSecond == 0
                ? t >= fromSecond && (toSecond == 0 || t < toSecond)
                : t >= fromSecond || t < toSecond;
        return inside ? Reason.TIME_OK : Reason.TIME_UNAUTHORIZED;
    }

    @Override
    public Reason okReason() {
        return Reason.TIME_OK;
    }

    @Override
    public Reason deniedReason() {
        return Reason.TIME_UNAUTHORIZED;
    }

    @Override
    public String explain(AccessRequest request, Reason result) {
        if (request.time() == null) {
            return "no request time";
        }
        int t = (int) Math.floorMod(localEpochSecond(request.time(), rules), (long) DAY);
        return "local time " + LocalTime.ofSecondOfDay(t) + " (" + zone + ") is "
                + (result == Reason.TIME_OK ? "within " : "outside ") + LocalTime.ofSecondOfDay(fromSecond) + "-"
                + (toSecond == 0 ? "24:00" : LocalTime.ofSecondOfDay(toSecond).toString());
    }
}
