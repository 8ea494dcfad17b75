package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The structural diff: paths as the config writes them, one entry per change. */
class JsonDiffTest {
    @Test
    void changesAdditionsAndRemovalsAtConfigPaths() {
        Map<String, Object> a = Map.of("host", "a.test", "policy", Map.of("allow", Map.of("and",
                List.of(Map.of("groups", Map.of("has", "eng")), Map.of("mfa", true)))), "timeout", "30s");
        Map<String, Object> b = Map.of("host", "b.test", "policy", Map.of("allow", Map.of("and",
                List.of(Map.of("groups", Map.of("has", "eng"))))), "whoami", "full");
        assertThat(JsonDiff.diff(a, b)).containsExactly(
                new JsonDiff.Change("host", "changed", "a.test", "b.test"),
                new JsonDiff.Change("policy.allow.and[1]", "removed", Map.of("mfa", true), null),
                new JsonDiff.Change("timeout", "removed", "30s", null),
                new JsonDiff.Change("whoami", "added", null, "full"));
    }

    @Test
    void wholeDocumentsAndTypeChanges() {
        assertThat(JsonDiff.diff(null, Map.of("a", 1))).containsExactly(new JsonDiff.Change("", "added", null, Map.of("a", 1)));
        assertThat(JsonDiff.diff(Map.of("a", 1), null)).extracting(JsonDiff.Change::op).containsExactly("removed");
        assertThat(JsonDiff.diff(Map.of("a", List.of(1)), Map.of("a", "x")))
                .containsExactly(new JsonDiff.Change("a", "changed", List.of(1), "x"));
        assertThat(JsonDiff.diff(Map.of("a", 1), Map.of("a", 1))).isEmpty();
    }
}
