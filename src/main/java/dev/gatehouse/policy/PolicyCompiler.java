package dev.gatehouse.policy;

import dev.gatehouse.policy.criteria.Criteria;
import dev.gatehouse.policy.criteria.Criterion;

import java.util.List;
import java.util.Map;

/**
 * Compiles a policy document (a JSON-like tree of Map, List, String, Number, Boolean, as parsed
 * from YAML or JSON) into a {@link CompiledPolicy}, reporting every error at once with its path.
 *
 * <p>Paths: {@code basePath} + the path inside the document, e.g. {@code apps[2].policy.allow.and[1].device}.
 * Errors about the document itself (not an object, an unknown top-level field such as
 * {@code alow}) are reported at {@code basePath}, or at {@code policy} when {@code basePath} is
 * empty. An unknown field, criterion or matcher key is reported at the path of the object holding
 * it ({@code ...device: unknown field 'compliantt'}).
 *
 * <p>A missing, null or empty ({@code {}}) {@code allow} is valid and denies everything; a missing,
 * null or empty {@code deny} denies nothing. Every other rule must be an object with exactly one
 * key, an operator ({@code and}, {@code or}, {@code not}, {@code nor} with a non-empty list of
 * rules) or a criterion.
 */
public final class PolicyCompiler {
    private static final String RULE_SHAPE = "expected an object with one operator or criterion";

    private PolicyCompiler() {
    }

    /**
     * @param document the policy object ({@code {allow: ..., deny: ...}}); null means "no policy" (denies all)
     * @param basePath the path of the document in its file, prefixed to every error path
     *                 (e.g. {@code apps[2].policy}); empty for none
     * @param version  the version recorded in every decision
     */
    public static CompileResult compile(Object document, String basePath, long version) {
        Problems problems = new Problems(basePath);
        if (document == null) {
            return new CompileResult(CompiledPolicy.denyAll(version), List.of());
        }
        if (!(document instanceof Map<?, ?> map)) {
            problems.add("", "expected an object with 'allow' and/or 'deny', found " + Problems.describe(document));
            return new CompileResult(null, problems.errors());
        }
        for (Object key : map.keySet()) {
            if (!"allow".equals(key) && !"deny".equals(key)) {
                problems.add("", "unknown field '" + key + "' (expected 'allow' and/or 'deny')");
            }
        }
        RuleNode allow = block(map.get("allow"), "allow", false, problems);
        RuleNode deny = block(map.get("deny"), "deny", true, problems);
        if (problems.count() > 0) {
            return new CompileResult(null, problems.errors());
        }
        return new CompileResult(new CompiledPolicy(allow, deny, version, StepUpDemands.of(document)), List.of());
    }

    private static RuleNode block(Object value, String path, boolean negative, Problems problems) {
        if (value == null || (value instanceof Map<?, ?> m && m.isEmpty())) {
            return null;
        }
        return rule(value, path, negative, problems);
    }

    private static RuleNode rule(Object value, String path, boolean negative, Problems problems) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            problems.add(path, RULE_SHAPE + ", found " + Problems.describe(value));
            return null;
        }
        if (map.size() > 1) {
            // a key that is no operator or criterion (a typo, a field of something else) is the fault
            // to report; "combine them with 'and'" would only be noise beside it
            if (map.keySet().stream().allMatch(k -> isOperator(String.valueOf(k)) || Criteria.isKnown(String.valueOf(k)))) {
                problems.add(path, RULE_SHAPE + ", found " + map.size() + " keys: "
                        + String.join(", ", map.keySet().stream().map(String::valueOf).toList())
                        + " (combine them with 'and' or 'or')");
            }
            // still compile each entry so that faults inside are reported in the same pass
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entry(String.valueOf(e.getKey()), e.getValue(), path, negative, problems);
            }
            return null;
        }
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        return entry(String.valueOf(e.getKey()), e.getValue(), path, negative, problems);
    }

    private static boolean isOperator(String key) {
        return key.equals("and") || key.equals("or") || key.equals("not") || key.equals("nor");
    }

    private static RuleNode entry(String key, Object value, String path, boolean negative, Problems problems) {
        OperatorNode.Op op = switch (key) {
            case "and" -> OperatorNode.Op.AND;
            case "or" -> OperatorNode.Op.OR;
            case "not" -> OperatorNode.Op.NOT;
            case "nor" -> OperatorNode.Op.NOR;
            default -> null;
        };
        if (op == null) {
            Criterion criterion = Criteria.compile(key, value, path, problems, negative);
            return criterion == null ? null : new LeafNode(criterion, key, Problems.field(path, key), negative);
        }
        String at = Problems.field(path, key);
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(at, "expected a non-empty list of rules, found " + Problems.describe(value));
            return null;
        }
        // not and nor negate: below them, holding pushes towards denial
        boolean childNegative = negative ^ (op == OperatorNode.Op.NOT || op == OperatorNode.Op.NOR);
        RuleNode[] children = new RuleNode[list.size()];
        boolean ok = true;
        for (int i = 0; i < children.length; i++) {
            children[i] = rule(list.get(i), Problems.index(at, i), childNegative, problems);
            ok &= children[i] != null;
        }
        return ok ? new OperatorNode(op, at, children, negative) : null;
    }
}
