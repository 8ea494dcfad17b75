package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.Problems;

import java.util.Map;

/**
 * The registry of criterion names: the compiler hands every non-operator key of a rule here.
 */
public final class Criteria {
    /**
     * A criterion's compile step: validates the value and builds the criterion, or reports errors
     * and returns null. {@code negative} is the polarity of the leaf (deny block, or under an odd
     * number of {@code not}/{@code nor}), for criteria that compare differently where a match denies.
     */
    @FunctionalInterface
    interface Factory {
        Criterion compile(Object value, String path, Problems problems, boolean negative);
    }

    /** The compile step of a criterion that compares the same way in either polarity. */
    @FunctionalInterface
    interface PlainFactory {
        Criterion compile(Object value, String path, Problems problems);
    }

    private static final Map<String, Factory> FACTORIES = Map.ofEntries(
            plain("accept", AcceptCriterion::compile),
            plain("reject", RejectCriterion::compile),
            plain("authenticated_user", AuthenticatedUserCriterion::compile),
            plain("user", UserCriterion::compile),
            plain("email", EmailCriterion::compile),
            plain("domain", DomainCriterion::compile),
            plain("groups", GroupsCriterion::compile),
            plain("roles", RolesCriterion::compile),
            plain("device", DeviceCriterion::compile),
            plain("mfa", MfaCriterion::compile),
            plain("acr", AcrCriterion::compile),
            plain("max-auth-age", MaxAuthAgeCriterion::compile),
            plain("http_method", HttpMethodCriterion::compile),
            Map.entry("http_path", HttpPathCriterion::compile),
            plain("source_ip", SourceIpCriterion::compile),
            plain("time_of_day", TimeOfDayCriterion::compile),
            plain("day_of_week", DayOfWeekCriterion::compile));

    private Criteria() {
    }

    private static Map.Entry<String, Factory> plain(String name, PlainFactory factory) {
        return Map.entry(name, (value, path, problems, negative) -> factory.compile(value, path, problems));
    }

    /** Whether {@code name} names a criterion (a {@code claim.} one included), whatever its value. */
    public static boolean isKnown(String name) {
        return name.startsWith(ClaimCriterion.PREFIX) || FACTORIES.containsKey(name);
    }

    /**
     * Compiles the criterion {@code name} with its {@code value}.
     *
     * @param rulePath the path of the rule object holding the criterion (e.g. {@code allow.and[1]});
     *                 errors about the value are reported at {@code rulePath.name}, an unknown name
     *                 at {@code rulePath} itself, like an unknown field of an object
     * @param negative whether the criterion sits where holding pushes towards denial (the deny
     *                 block, or under an odd number of {@code not}/{@code nor})
     * @return the criterion, or null when errors were reported
     */
    public static Criterion compile(String name, Object value, String rulePath, Problems problems, boolean negative) {
        String path = Problems.field(rulePath, name);
        if (name.startsWith(ClaimCriterion.PREFIX)) {
            return ClaimCriterion.compile(name, value, path, problems);
        }
        Factory factory = FACTORIES.get(name);
        if (factory == null) {
            problems.add(rulePath, name.equals("jit")
                    ? "criterion 'jit' is not supported yet"
                    : "unknown criterion '" + name + "'");
            return null;
        }
        return factory.compile(value, path, problems, negative);
    }
}
