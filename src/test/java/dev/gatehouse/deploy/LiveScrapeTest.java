package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.fabric8.kubernetes.api.model.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A running Gatehouse, scraped as Prometheus would: after a few requests of each kind (allowed,
 * denied, unauthenticated, a refused token, upstream down, an app in shadow mode) and with a WebSocket open,
 * its management port's
 * {@code /q/metrics} passes {@code promtool check metrics} and exports every metric the dashboard
 * and the alerts read; the probe and scrape paths of the manifests answer there.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class LiveScrapeTest {
    /** Where the scrape checked by promtool is kept, to read when the check fails. */
    static final java.nio.file.Path SCRAPE = java.nio.file.Path.of("target/live-scrape.prom");

    /** Makes traffic of every kind the dashboard shows, then scrapes with a WebSocket still open. */
    private static String scrapeAfterTraffic() throws Exception {
        TestIdp idp = GatehouseTestResource.idp();
        String token = idp.validToken();
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        assertThat(Http.get("api.test", "/", token).statusCode()).isEqualTo(200);
        assertThat(Http.get("api.test", "/", idp.sign(sales)).statusCode()).isEqualTo(403);
        assertThat(Http.get("api.test", "/", null).statusCode()).isEqualTo(401);
        Map<String, Object> expired = idp.engineer();
        expired.put("exp", System.currentTimeMillis() / 1000 - 3600);
        assertThat(Http.get("api.test", "/", idp.sign(expired)).statusCode()).as("a refused token").isEqualTo(401);
        assertThat(Http.get("dead.test", "/", null).statusCode()).isEqualTo(502);
        String shadowed = appInShadowMode(idp);
        assertThat(Http.get(shadowed + ".test", "/", token).statusCode()).as("the live policy decides").isEqualTo(200);
        Vertx vertx = Vertx.vertx();
        try {
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port())
                    .setURI("/ws").addHeader("Host", "api.test").addHeader("Authorization", "Bearer " + token);
            WebSocket ws = vertx.createWebSocketClient().connect(o).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            String metrics = scrape();
            ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return metrics;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * An app made through the admin API, with a candidate policy (shadow mode) that would deny the
     * engineer its live policy lets in; its id (host: id.test).
     */
    private static String appInShadowMode(TestIdp idp) {
        AdminClient admin = new AdminClient(idp.adminToken());
        String id = "scrape-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = admin.create(id, AdminClient.app(id + ".test",
                GatehouseTestResource.upstream().url(), "{\"groups\": {\"has\": \"engineering\"}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> candidate = admin.put("/api/v1/apps/" + id + "/candidate",
                "{\"policy\": {\"allow\": {\"groups\": {\"has\": \"sales\"}}}}", "If-None-Match", "*");
        assertThat(candidate.statusCode()).as(candidate.body()).isEqualTo(201);
        return id;
    }

    /**
     * {@code /q/metrics} in the Prometheus text format 0.0.4, the one {@code promtool check metrics}
     * reads. (Without that Accept header Quarkus answers OpenMetrics, as to a Prometheus server,
     * whose HELP escaping promtool's text parser refuses; the metric names are the same.)
     */
    static String scrape() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Http.managementPort()
                        + AppProperties.load().metricsPath())).header("Accept", "text/plain; version=0.0.4; charset=utf-8").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    /** The metric names of a scrape: every sample's name (a histogram's {@code _bucket}, {@code _count}, {@code _sum}). */
    static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Every metric name the dashboard's queries and the alerts' expressions select, with where it is used. */
    static Map<String, String> usedNames() {
        Map<String, String> used = new java.util.TreeMap<>();
        for (Dashboard.Query q : Dashboard.queries()) {
            PromQl.metricNames(q.expr()).forEach(n -> used.putIfAbsent(n, "dashboard panel '" + q.panel() + "'"));
        }
        for (JsonNode rule : AlertRules.rules()) {
            PromQl.metricNames(rule.path("expr").asText()).forEach(n -> used.putIfAbsent(n, "alert " + rule.path("alert").asText()));
        }
        PromQl.SYNTHETIC.forEach(used::remove);
        return used;
    }

    /**
     * promtool parses the whole scrape, and finds nothing to say about Gatehouse's own metrics. It
     * does lint some of the JVM, process and Netty meters that Quarkus and Micrometer register
     * (no HELP on Netty's allocator gauges, {@code process_cpu_time_ns_total}, {@code system_cpu_count}):
     * those are theirs, named as every Quarkus service names them, and left as they are.
     */
    @Test
    void theScrapePassesPromtoolCheckMetrics() throws Exception {
        String scrape = scrapeAfterTraffic();
        java.nio.file.Files.writeString(SCRAPE, scrape);
        Promtool.Result r = Promtool.run(scrape, "check", "metrics");
        String context = "promtool check metrics (the scrape: " + SCRAPE + "):\n" + r.output();
        assertThat(r.output()).as(context).doesNotContain("error while linting");
        assertThat(r.exitCode()).as("0, or 3 for lint problems: %s", context).isIn(0, 3);
        assertThat(r.output().lines()).as(context).noneMatch(line -> line.startsWith("gatehouse_"));
        assertThat(scrape).as("the scrape has Gatehouse's metrics at all").contains("\ngatehouse_requests_total{");
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExported() throws Exception {
        Set<String> exported = exportedNames(scrapeAfterTraffic());
        Map<String, String> used = usedNames();
        assertThat(used).as("the dashboard and alerts read Gatehouse's metrics").isNotEmpty();
        List<String> missing = new ArrayList<>();
        used.forEach((name, where) -> {
            if (!exported.contains(name)) {
                missing.add(name + " (" + where + ")");
            }
        });
        assertThat(missing).as("read but not exported by a running Gatehouse").isEmpty();
    }

    /** A JWKS fetch failure must be an increase for the alert, so the series exists at 0 before any fetch. */
    @Test
    void jwksRefreshSeriesExistForEveryConfiguredIdpBeforeAnyFailure() {
        String scrape = Http.metrics();
        assertThat(scrape).contains("gatehouse_jwks_refresh_total{idp=\"test\",result=\"failure\"}")
                .contains("gatehouse_jwks_refresh_total{idp=\"test\",result=\"success\"}");
    }

    /**
     * A candidate's first disagreement must be an increase for the alert, so both directions exist at
     * 0 as soon as the candidate is in force, before any request.
     */
    @Test
    void shadowDisagreementSeriesExistAtZeroOnceACandidateIsInForce() {
        String id = appInShadowMode(GatehouseTestResource.idp());
        String scrape = Http.metrics();
        for (String series : List.of("candidate=\"deny\",live=\"allow\"", "candidate=\"allow\",live=\"deny\"")) {
            String prefix = "gatehouse_shadow_disagreements_total{app=\"" + id + "\"," + series;
            assertThat(scrape).as("exported: %s", prefix).contains("\n" + prefix);
            assertThat(Http.metricValue(scrape, prefix)).as(prefix).isZero();
        }
    }

    @Test
    void theManifestsProbeAndScrapePathsAnswerOnTheManagementPort() {
        Overlay o = Overlay.render("single");
        List<String> paths = new ArrayList<>();
        for (Probe p : ManifestReferencesTest.probes(o.container()).values()) {
            paths.add(p.getHttpGet().getPath());
        }
        assertThat(paths).hasSize(3);
        o.one("ServiceMonitor").path("spec").path("endpoints").forEach(e -> paths.add(e.path("path").asText()));
        for (String path : paths) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + Http.managementPort() + path)).build());
            assertThat(r.statusCode()).as("GET %s on the management port", path).isEqualTo(200);
        }
        HttpResponse<String> onDataPort = Http.send(Http.to("api.test", paths.get(0)).build());
        assertThat(onDataPort.body()).as("health is not on the data port").doesNotContain("\"checks\"");
    }
}
