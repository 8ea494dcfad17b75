package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard: a data source chosen by a variable, an {@code app} variable, the panels
 * the operations issue asks for, and every panel query a valid PromQL expression (checked by
 * {@code promtool} as recording rules, Grafana's variables substituted). (That every metric they
 * read is exported: {@link LiveScrapeTest}.)
 */
class DashboardTest {
    static final String DATASOURCE = "${datasource}";

    @Test
    void theDashboardIsImportableWithAnyPrometheus() {
        ObjectNode d = Dashboard.json();
        assertThat(d.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(d.path("uid").asText()).isNotBlank();
        assertThat(d.has("__inputs")).as("no import-time inputs: the data source is a variable").isFalse();
        JsonNode vars = d.path("templating").path("list");
        JsonNode datasource = variable(vars, "datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        JsonNode app = variable(vars, "app");
        assertThat(app.path("type").asText()).isEqualTo("query");
        assertThat(app.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
        assertThat(app.path("includeAll").asBoolean()).isTrue();
        assertThat(app.path("allValue").asText()).isEqualTo(".*");
    }

    @Test
    void everyPanelQueriesTheChosenDataSource() {
        List<JsonNode> panels = Dashboard.panels();
        assertThat(panels).isNotEmpty();
        List<Integer> ids = new ArrayList<>();
        Dashboard.json().path("panels").forEach(p -> {
            ids.add(p.path("id").asInt());
            p.path("panels").forEach(nested -> ids.add(nested.path("id").asInt()));
        });
        assertThat(ids).as("panel ids").doesNotHaveDuplicates();
        for (JsonNode p : panels) {
            String title = p.path("title").asText();
            assertThat(p.path("datasource").path("uid").asText()).as(title).isEqualTo(DATASOURCE);
            assertThat(p.path("targets")).as("%s has queries", title).isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).as(title).isEqualTo(DATASOURCE);
                assertThat(t.path("expr").asText()).as(title).isNotBlank();
            }
            assertThat(p.path("gridPos").path("w").asInt()).as(title).isPositive();
        }
    }

    /** The panels the operations issue lists, each found by what its queries read. */
    @Test
    void theAskedForPanelsAreThere() {
        assertThat(panelReading("gatehouse_requests_total", "by (app, decision)")).isNotNull();
        assertThat(panelReading("decision=\"deny\"", "topk(")).isNotNull();
        assertThat(panelReading("histogram_quantile(0.5,", "gatehouse_request_duration_seconds_bucket")).isNotNull();
        assertThat(panelReading("histogram_quantile(0.95,", "gatehouse_request_duration_seconds_bucket")).isNotNull();
        assertThat(panelReading("histogram_quantile(0.99,", "gatehouse_request_duration_seconds_bucket")).isNotNull();
        assertThat(panelReading("decision=\"upstream_error\"")).isNotNull();
        assertThat(panelReading("gatehouse_upstream_duration_seconds", "status_class")).isNotNull();
        assertThat(panelReading("gatehouse_open_connections", "kind")).isNotNull();
        assertThat(panelReading("result=\"cache_hit\"", "cache_hit|valid|invalid")).isNotNull();
        assertThat(panelReading("gatehouse_jwks_refresh_total{result=\"failure\"}")).isNotNull();
        assertThat(panelReading("gatehouse_policy_version", "instance")).isNotNull();
        assertThat(panelReading("gatehouse_config_reloads_total", "result")).isNotNull();
        // sessions, revocations and shadow mode; sessions are a store-wide figure every replica reports
        assertThat(panelReading("max(gatehouse_sessions_active)")).isNotNull();
        assertThat(panelReading("gatehouse_revocations_active", "instance")).isNotNull();
        assertThat(panelReading("rate(gatehouse_shadow_disagreements_total{app=~\"$app\"}", "by (app, live, candidate)"))
                .isNotNull();
    }

    private static String panelReading(String... fragments) {
        for (Dashboard.Query q : Dashboard.queries()) {
            if (java.util.Arrays.stream(fragments).allMatch(q.expr()::contains)) {
                return q.panel();
            }
        }
        throw new AssertionError("no dashboard query contains all of " + List.of(fragments));
    }

    @Test
    void everyPanelQueryIsValidPromQl(@TempDir Path tmp) throws IOException {
        List<Dashboard.Query> queries = Dashboard.queries();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int i = 0;
        for (Dashboard.Query q : queries) {
            String expr = PromQl.withGrafanaValues(q.expr());
            assertThat(expr).as("%s %s: no variable left", q.panel(), q.refId()).doesNotContain("$");
            rules.append("      - record: dashboard:query_").append(i++).append('\n')
                    .append("        expr: ").append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expr))
                    .append("  # ").append(q.panel().replace('\n', ' ')).append(' ').append(q.refId()).append('\n');
        }
        Path file = tmp.resolve("dashboard-rules.yaml");
        Files.writeString(file, rules);
        Promtool.Result r = Promtool.run(null, "check", "rules", file.toString());
        assertThat(r.ok()).as("%s\n%s", r.output(), rules).isTrue();
        assertThat(r.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    private static JsonNode variable(JsonNode list, String name) {
        return StreamSupport.stream(list.spliterator(), false).filter(v -> name.equals(v.path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no dashboard variable " + name));
    }
}
