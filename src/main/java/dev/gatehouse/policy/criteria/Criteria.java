package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.Problems;

import java.util.Map;

/**
 * The registry of criterion names: the compiler hands every non-operator key of a rule here.
 */
public final class Criteria {
    /** A criterion's compile step: validates the value and builds the criterion, or reports errors and returns null. */
    @FunctionalInterface
    interface Factory {
        Criterion compile(Object value, String path, Problems problems);
    }

    private static final Map<String, Factory> FACTORIES = Map.ofEntries(
            Map.entry("accept", AcceptCriterion::compile),
            Map.entry("reject", RejectCriterion::compile),
            Map.entry("authenticated_user", AuthenticatedUserCriterion::compile),
            Map.entry("user", UserCriterion::compile),
            Map.entry("email", EmailCriterion::compile),
            Map.entry("domain", DomainCriterion::compile),
            Map.entry("groups", GroupsCriterion::compile),
            Map.entry("roles", RolesCriterion::compile),
            Map.entry("device", DeviceCriterion::compile),
            Map.entry("mfa", MfaCriterion::compile),
            Map.entry("acr", AcrCriterion::compile),
            Map.entry("max-auth-age", MaxAuthAgeCriterion::compile),
            Map.entry("http_method", HttpMethodCriterion::compile),
            Map.entry("http_path", HttpPathCriterion::compile),
            Map.entry("source_ip", SourceIpCriterion::compile),
            Map.entry("time_of_day", TimeOfDayCriterion::compile),
            Map.entry("day_of_week", DayOfWeekCriterion::compile));

    private Criteria() {
    }

    /**
     * Compiles the criterion {@code name} with its {@code value}.
     *
     * @param rulePath the path of the rule object holding the criterion (e.g. {@code allow.and[1]});
     *                 errors about the value are reported at {@code rulePath.name}, an unknown name
     *                 at {@code rulePath} itself, like an unknown field of an object
     * @return the criterion, or null when errors were reported
     */
    public static Criterion compile(String name, Object value, String rulePath, Problems problems) {
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
        return factory.compile(value, path, problems);
    }
}
