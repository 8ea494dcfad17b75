package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** File apps' documents, kept as text: read back as written, key order and value types included. */
class AppDocumentsTest {
    private static final String YAML = """
            idps:
              corp:
                issuer: https://login.example.com/realms/corp
                audience: gatehouse
            apps:
              - id: wiki
                upstream: http://10.0.0.5:8080
                host: wiki.example.com
                idp: corp
                timeout: 2s
                max-body-size: 10MB
                policy:
                  allow:
                    and:
                      - groups: { has: engineering }
                      - device: { compliant: true }
                  deny:
                    source_ip: { in: [10.9.0.0/16] }
            """;

    private final ConfigLoader.Loaded loaded = new ConfigLoader().parseWithDocuments(YAML, "test.yaml");

    @Test
    void aDocumentReadsBackAsTheYamlTreeWithItsKeyOrderAndTypes() throws Exception {
        Object tree = ConfigLoader.yamlMapper().readValue(YAML, Map.class).get("apps") instanceof List<?> apps
                ? apps.get(0) : null;
        Object doc = loaded.appDocuments().get("wiki");
        assertThat(doc).isEqualTo(tree);
        List<Object> keys = List.copyOf(((Map<?, ?>) doc).keySet());
        assertThat(keys).containsExactly("id", "upstream", "host", "idp", "timeout", "max-body-size", "policy");
        Map<?, ?> compliant = (Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) doc)
                .get("policy")).get("allow")).get("and")).get(1)).get("device");
        assertThat(compliant.get("compliant")).isEqualTo(Boolean.TRUE);
        assertThat(loaded.appDocuments().get("nope")).isNull();
        assertThat(loaded.appDocuments().size()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void changingATreeReadDoesNotChangeTheNextRead() {
        Map<String, Object> first = (Map<String, Object>) loaded.appDocuments().get("wiki");
        first.put("host", "evil.example.com");
        ((List<Object>) ((Map<String, Object>) ((Map<String, Object>) first.get("policy")).get("allow")).get("and"))
                .add("x");
        Map<?, ?> second = (Map<?, ?>) loaded.appDocuments().get("wiki");
        assertThat(second.get("host")).isEqualTo("wiki.example.com");
        assertThat(((List<?>) ((Map<?, ?>) ((Map<?, ?>) second.get("policy")).get("allow")).get("and"))).hasSize(2);
    }

    @Test
    void numbersKeepTheirTypes() {
        AppDocuments docs = AppDocuments.of(Map.of("a", Map.of("i", 7, "l", 1L << 40, "d", 2.5,
                "list", new ArrayList<>(List.of("x", 1)))));
        Map<?, ?> a = (Map<?, ?>) docs.get("a");
        assertThat(a.get("i")).isEqualTo(7);
        assertThat(a.get("l")).isEqualTo(1L << 40);
        assertThat(a.get("d")).isEqualTo(2.5);
        assertThat(a.get("list")).isEqualTo(List.of("x", 1));
        assertThat(AppDocuments.of(Map.of())).isSameAs(AppDocuments.NONE);
    }
}
