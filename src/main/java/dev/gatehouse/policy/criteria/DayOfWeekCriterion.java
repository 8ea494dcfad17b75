package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Problems;
import dev.gatehouse.policy.Reason;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code day_of_week: {in: [mon, tue], not_in: [sun], tz: "Europe/Berlin"}}: the local day in
 * {@code tz} (default UTC) is in {@code in} (when given) and not in {@code not_in}. Days are
 * {@code mon..sun} or full names, case-insensitive. Without a request time the criterion is unknown
 * ({@code time-unknown}).
 */
public final class DayOfWeekCriterion implements Criterion {
    private static final List<String> SHORT = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** Bit i set = DayOfWeek.of(i + 1) listed; -1 for "not given". */
    private final int inMask;
    private final int notInMask;
    private final ZoneRules rules;
    private final ZoneId zone;

    private DayOfWeekCriterion(int inMask, int notInMask, ZoneId zone) {
        this.inMask = inMask;
        this.notInMask = notInMask;
        this.rules = zone.getRules();
        this.zone = zone;
    }

    static Criterion compile(Object value, String path, Problems problems) {
        Map<?, ?> map = Values.object(value, path, problems);
        if (map == null) {
            return null;
        }
        int before = problems.count();
        int in = -1;
        int notIn = -1;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            switch (key) {
                case "in" -> in = days(e.getValue(), Problems.field(path, key), problems);
                case "not_in" -> notIn = days(e.getValue(), Problems.field(path, key), problems);
                case "tz" -> { } // parsed below
                default -> Values.unknownField(path, key, problems);
            }
        }
        if (problems.count() == before && in < 0 && notIn < 0) {
            problems.add(path, "expected 'in' or 'not_in'");
        }
        ZoneId zone = Values.zone(map.get("tz"), Problems.field(path, "tz"), problems);
        return problems.count() > before ? null : new DayOfWeekCriterion(in, notIn, zone);
    }

    private static int days(Object value, String path, Problems problems) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(path, "expected a non-empty list of days, found " + Problems.describe(value));
            return -1;
        }
        int mask = 0;
        for (int i = 0; i < list.size(); i++) {
            int day = list.get(i) instanceof String s ? day(s.toLowerCase(Locale.ROOT)) : -1;
            if (day < 0) {
                problems.add(Problems.index(path, i), "invalid day "
                        + (list.get(i) instanceof String ? "'" + list.get(i) + "'" : Problems.describe(list.get(i)))
                        + " (expected mon, tue, wed, thu, fri, sat, sun or the full name)");
            } else {
                mask |= 1 << day;
            }
        }
        return mask;
    }

    private static int day(String s) {
        int i = SHORT.indexOf(s);
        if (i >= 0) {
            return i;
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).equals(s)) {
                return d.ordinal();
            }
        }
        return -1;
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
        long epochDay = Math.floorDiv(TimeOfDayCriterion.localEpochSecond(request.time(), rules), 86_400L);
        // 1970-01-01 was a Thursday (ordinal 3 with Monday = 0)
        int bit = 1 << (int) Math.floorMod(epochDay + 3, 7L);
        boolean ok = (inMask < 0 || (inMask & bit) != 0) && (notInMask < 0 || (notInMask & bit) == 0);
        return ok ? Reason.TIME_OK : Reason.TIME_UNAUTHORIZED;
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
        long epochDay = Math.floorDiv(TimeOfDayCriterion.localEpochSecond(request.time(), rules), 86_400L);
        int day = (int) Math.floorMod(epochDay + 3, 7L);
        StringBuilder sb = new StringBuilder("local day ").append(SHORT.get(day)).append(" (").append(zone).append(')');
        if (inMask >= 0) {
            sb.append((inMask & (1 << day)) != 0 ? " is in " : " is not in ").append(days(inMask));
        }
        if (notInMask >= 0) {
            sb.append(inMask >= 0 ? " and" : "").append((notInMask & (1 << day)) != 0 ? " is in " : " is not in ")
                    .append(days(notInMask)).append(" (not_in)");
        }
        return sb.toString();
    }

    private static List<String> days(int mask) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            if ((mask & (1 << i)) != 0) {
                out.add(SHORT.get(i));
            }
        }
        return out;
    }
}
