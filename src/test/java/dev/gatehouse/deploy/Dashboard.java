package dev.gatehouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboard ({@code deploy/grafana/gatehouse-dashboard.json}): its panels and their queries. */
final class Dashboard {
    static final Path FILE = Manifests.DEPLOY.resolve("grafana/gatehouse-dashboard.json");

    /** One query of one panel. */
    record Query(String panel, String refId, String expr) {
    }

    private Dashboard() {
    }

    static ObjectNode json() {
        try {
            return (ObjectNode) new ObjectMapper().readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The panels that show data: rows left out, panels inside collapsed rows included. */
    static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode p : json().path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(panels::add);
            } else {
                panels.add(p);
            }
        }
        return panels;
    }

    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode p : panels()) {
            for (JsonNode t : p.path("targets")) {
                queries.add(new Query(p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        return queries;
    }
}
