package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules: {@code promtool check rules} accepts the file, the PrometheusRule of the
 * Kubernetes base carries exactly the same groups, and every alert says how bad it is, what
 * happened and what to do; the alerts on shadow mode, sessions and revocations pass promtool's unit
 * tests. (That every metric they read is exported: {@link LiveScrapeTest}.)
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
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("increase(gatehouse_shadow_disagreements_total["));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("gatehouse_sessions_active"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("gatehouse_revocations_active"));
    }

    /** Shadow-mode disagreements are information for whoever attached the candidate, never a page. */
    @Test
    void shadowDisagreementsAreInformationNotAPage() {
        List<JsonNode> shadow = AlertRules.rules().stream()
                .filter(r -> r.path("expr").asText().contains("gatehouse_shadow_disagreements_total")).toList();
        assertThat(shadow).isNotEmpty();
        shadow.forEach(r -> assertThat(r.path("labels").path("severity").asText()).as(r.path("alert").asText())
                .isEqualTo("info"));
    }

    /**
     * promtool's unit tests ({@code src/test/resources/deploy/alert-rules-test.yaml}) of the alerts on
     * shadow mode, sessions, revocations and back-channel logouts: each fires when it should and stays quiet in the cases
     * that look alike (a gradual end of the day, a small deployment, one replica still counting, a
     * short disagreement). They run on a copy of the rule file without annotations: promtool would
     * compare every annotation's text, and {@code promtool check rules} checks those templates.
     */
    @Test
    void theAlertsWithUnitTestsPassThem(@TempDir Path tmp) throws IOException {
        ObjectNode rules = AlertRules.file().deepCopy();
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> ((ObjectNode) r).remove("annotations")));
        Path ruleFile = tmp.resolve("gatehouse-rules.json");
        Files.writeString(ruleFile, rules.toString());
        Path tests = tmp.resolve("alert-rules-test.yaml");
        Files.writeString(tests, Files.readString(Path.of("src/test/resources/deploy/alert-rules-test.yaml"))
                .replace("RULE_FILE", ruleFile.toString()));
        Promtool.Result r = Promtool.run(null, "test", "rules", tests.toString());
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("SUCCESS");
    }
}
