package dev.gatehouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The alerting rules as shipped for a plain Prometheus ({@code deploy/prometheus/gatehouse-rules.yaml}). */
final class AlertRules {
    static final Path FILE = Manifests.DEPLOY.resolve("prometheus/gatehouse-rules.yaml");
    static final Path PROMETHEUS_RULE = Manifests.KUBERNETES.resolve("base/prometheusrule.yaml");

    private AlertRules() {
    }

    /** The rule file's document ({@code groups: [...]}). */
    static ObjectNode file() {
        return Manifests.readOne(FILE);
    }

    /** Every rule of every group. */
    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        file().path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    /** Every rule's expression. */
    static List<String> expressions() {
        return rules().stream().map(r -> r.path("expr").asText()).toList();
    }
}
