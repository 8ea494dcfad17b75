package dev.gatehouse.policy;

import dev.gatehouse.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a policy asks of a sign-in, read from its {@code allow} block once at compile time: the
 * strictest {@code max-auth-age} and the {@code acr} values it accepts ({@code is} or {@code in}).
 * A person denied for {@code reauth-required} or an {@code acr-*} reason is sent back to the IdP
 * with these ({@code max_age}, {@code acr_values}); a bearer client is told them in its 401
 * (RFC 9470). Criteria under {@code deny} or {@code not} ask nothing of a sign-in and are ignored.
 *
 * @param maxAuthAgeSeconds the smallest {@code max-auth-age} in seconds, or -1 when there is none
 * @param acrValues         the acr values accepted, in policy order (empty when none is named)
 */
public record StepUpDemands(long maxAuthAgeSeconds, List<String> acrValues) {
    /** A policy that asks nothing of the sign-in. */
    public static final StepUpDemands NONE = new StepUpDemands(-1, List.of());

    public StepUpDemands {
        acrValues = List.copyOf(acrValues);
    }

    /** The demands of a validated policy document ({@code {allow: ..., deny: ...}}). */
    static StepUpDemands of(Object document) {
        if (!(document instanceof Map<?, ?> map)) {
            return NONE;
        }
        long[] maxAge = {-1};
        Set<String> acr = new LinkedHashSet<>();
        walk(map.get("allow"), maxAge, acr);
        return maxAge[0] < 0 && acr.isEmpty() ? NONE : new StepUpDemands(maxAge[0], new ArrayList<>(acr));
    }

    private static void walk(Object node, long[] maxAge, Set<String> acr) {
        if (node instanceof List<?> list) {
            for (Object o : list) {
                walk(o, maxAge, acr);
            }
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            switch (key) {
                case "not", "nor" -> { } // a negated demand is not something a sign-in can add
                case "max-auth-age" -> {
                    Duration d = e.getValue() instanceof String s ? Durations.parse(s) : null;
                    if (d != null && (maxAge[0] < 0 || d.getSeconds() < maxAge[0])) {
                        maxAge[0] = d.getSeconds();
                    }
                }
                case "acr" -> {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        if (m.get("is") instanceof String s) {
                            acr.add(s);
                        }
                        if (m.get("in") instanceof List<?> in) {
                            for (Object v : in) {
                                if (v instanceof String s) {
                                    acr.add(s);
                                }
                            }
                        }
                    }
                }
                default -> walk(e.getValue(), maxAge, acr);
            }
        }
    }
}
