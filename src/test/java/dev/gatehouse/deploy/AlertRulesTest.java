package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules: {@code promtool check rules} accepts the file, the PrometheusRule of the
 * Kubernetes base carries exactly the same groups, and every alert says how bad it is, what
 * happened and what to do. (That every metric they read is exported: {@link LiveScrapeTest}.)
 */
class AlertRulesTest {
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @Test
    void promtoolAcceptsTheRuleFile() {
        Promtool.Result r = Promtool.run(null, "check", "rules", AlertRules.FILE.toString());
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("SUCCESS: " + AlertRules.rules().size() + " rules found");
    }

    @Test
    void thePrometheusRuleHasTheSameGroupsAsTheRuleFile() {
        JsonNode resource = Manifests.readOne(AlertRules.PROMETHEUS_RULE);
        assertThat(resource.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(resource.path("spec").path("groups")).isEqualTo(AlertRules.file().path("groups"));
        assertThat(resource.path("spec").size()).as("nothing but the groups").isEqualTo(1);
        assertThat(AlertRules.file().size()).isEqualTo(1);
    }

    @Test
    void everyAlertHasADelaySeverityAndItsNotes() {
        List<JsonNode> rules = AlertRules.rules();
        assertThat(rules).isNotEmpty();
        assertThat(rules.stream().map(r -> r.path("alert").asText()).toList()).doesNotHaveDuplicates();
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            assertThat(alert).as("only alerting rules here").isNotEmpty();
            assertThat(rule.path("for").asText()).as("%s for", alert).matches("[1-9][0-9]*[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as("%s severity", alert).isIn(SEVERITIES);
            for (String note : List.of("summary", "description", "runbook")) {
                assertThat(rule.path("annotations").path(note).asText()).as("%s %s", alert, note).hasSizeGreaterThan(20);
            }
        }
    }

    /** The alerts the operations issue asks for, by what they read. */
    @Test
    void theAskedForAlertsAreThere() {
        List<String> exprs = AlertRules.expressions();
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("up{job=\"gatehouse\"} == 0"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("decision=\"deny\"").contains("offset"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("decision=\"upstream_error\"").contains("status_class=\"5xx\""));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("gatehouse_jwks_refresh_total{result=\"failure\"}"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("gatehouse_config_reloads_total{result=\"failure\"}"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("max by (namespace, app) (gatehouse_policy_version)")
                .contains("- min by (namespace, app) (gatehouse_policy_version)"));
    }
}
