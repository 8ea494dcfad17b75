package dev.gatehouse.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's small parts: form tokens, the origin check, the form-document mapping, typed times. */
class ConsoleUnitsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-31T12:00:00Z"));
    private final AdminRequest alice = new AdminRequest("alice", "corp", "192.0.2.1", "r1");

    @Test
    void formTokensAreBoundToTheAdminAndTheKeyAndExpire() {
        CsrfTokens tokens = new CsrfTokens(new byte[32], clock);
        String t = tokens.issue(alice);
        assertThat(tokens.valid(alice, t)).isTrue();
        assertThat(tokens.valid(new AdminRequest("alice", "other-idp", null, "r2"), t)).isFalse();
        assertThat(tokens.valid(new AdminRequest("bob", "corp", null, "r2"), t)).isFalse();
        assertThat(new CsrfTokens(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, clock).valid(alice, t)).as("another key").isFalse();
        assertThat(tokens.valid(alice, null)).isFalse();
        assertThat(tokens.valid(alice, "")).isFalse();
        assertThat(tokens.valid(alice, "garbage")).isFalse();
        assertThat(tokens.valid(alice, t.substring(0, t.length() - 1))).isFalse();
        String forged = (Long.parseLong(t.split("\\.")[0]) + 3600) + "." + t.split("\\.")[1];
        assertThat(tokens.valid(alice, forged)).as("the time is under the MAC").isFalse();
        clock.advance(CsrfTokens.MAX_AGE.minus(Duration.ofSeconds(1)));
        assertThat(tokens.valid(alice, t)).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.valid(alice, t)).as("expired").isFalse();
    }

    @Test
    void onlyTheSameOriginPasses() {
        assertThat(FormGuard.sameOrigin("http://admin.localhost:8080", "admin.localhost:8080")).isTrue();
        assertThat(FormGuard.sameOrigin("https://Admin.Localhost", "admin.localhost")).isTrue();
        assertThat(FormGuard.sameOrigin("http://admin.localhost:8081", "admin.localhost:8080")).isFalse();
        assertThat(FormGuard.sameOrigin("http://admin.localhost.evil.example", "admin.localhost")).isFalse();
        assertThat(FormGuard.sameOrigin("null", "admin.localhost")).isFalse();
        assertThat(FormGuard.sameOrigin("ftp://admin.localhost", "admin.localhost")).isFalse();
        assertThat(FormGuard.sameOrigin("http://admin.localhost", null)).isFalse();
        assertThat(FormGuard.sameOrigin("http://a b", "a b")).isFalse();
    }

    @Test
    void aFormBecomesTheApiDocumentAndErrorsLandOnTheirFields() {
        AppForm f = AppForm.of("wiki", Map.of("id", "wiki", "host", "wiki.test", "upstream", "http://u:1",
                "idp", "corp", "timeout", "30s", "policy", Map.of("allow", Map.of("accept", true))), 4);
        assertThat(f.policy).isEqualTo("allow:\n  accept: true\n");
        assertThat(f.other).isEqualTo("timeout: 30s\n");
        assertThat(f.version).isEqualTo("4");
        f.comment = "why";
        Map<String, Object> doc = f.document();
        assertThat(doc).containsEntry("host", "wiki.test").containsEntry("timeout", "30s")
                .containsEntry("policy", Map.of("allow", Map.of("accept", true))).containsEntry("comment", "why")
                .doesNotContainKey("path-prefix");

        f.other = "host: elsewhere.test\n";
        f.policy = "allow: [unclosed\n";
        assertThat(f.document()).isNull();
        assertThat(f.errorsAt("other")).extracting(AppForm.FieldError::text)
                .containsExactly("host: has its own field above; set it there");
        assertThat(f.errorsAt("policy")).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("policy");
            assertThat(e.message()).startsWith("not valid YAML (line ");
        });

        AppForm g = new AppForm();
        g.addErrors(List.of(new AppDocument.Error("policy.allow.and[1].device", "unknown field 'compliantt'"),
                new AppDocument.Error("path-prefix", "must start with /"), new AppDocument.Error("timeout", "bad"),
                new AppDocument.Error("", "expected an object")));
        assertThat(g.errors()).extracting(AppForm.FieldError::field).containsExactly("policy", "path-prefix",
                "other", "other");
        assertThat(g.errors().get(0).text()).isEqualTo("policy.allow.and[1].device: unknown field 'compliantt'");
    }

    @Test
    void typedTimesAreUtc() {
        assertThat(AuditPages.instant("2026-01-31T12:00")).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(AuditPages.instant("2026-01-31T12:00:05")).isEqualTo("2026-01-31T12:00:05Z");
        assertThat(AuditPages.instant("2026-01-31T12:00:00Z")).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(AuditPages.instant("")).isEmpty();
        assertThat(AuditPages.instant("yesterday")).isEqualTo("yesterday");
    }
}
