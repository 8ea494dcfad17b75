package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs {@code policy check|test} in-process against the files in {@code src/test/resources/cli}. */
class PolicyCommandTest {
    static final Path DIR = Path.of("src/test/resources/cli");
    static final String CONFIG = DIR.resolve("gatehouse.yaml").toString();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);

    record Run(int code, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    static Run run(Map<String, String> env, boolean color, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new PolicyCommand(CLOCK, env, color).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String... args) {
        return run(Map.of(), false, args);
    }

    @Test
    void checkValidConfig() {
        Run r = run("check", CONFIG);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("OK: 2 IdP(s), 3 app(s)\n");
        // unset variables never fail the check; they are named, their values never printed
        assertThat(r.err()).contains("note: ${CLI_TEST_CORP_SECRET} is not set; checked with a placeholder",
                "note: ${CLI_TEST_PARTNER_ISSUER} is not set; checked with a placeholder");
    }

    @Test
    void checkUsesTheRealEnvironmentWhenSet() {
        Run r = run(Map.of("CLI_TEST_CORP_SECRET", "s3cret", "CLI_TEST_PARTNER_ISSUER", "https://partners.example.net"),
                false, "check", CONFIG);
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).doesNotContain("s3cret");

        Run bad = run(Map.of("CLI_TEST_PARTNER_ISSUER", "not a url"), false, "check", CONFIG);
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("idps.partners.issuer: must be an http(s) URL, got 'not a url'");
    }

    @Test
    void checkListsEveryError() {
        Run r = run("check", DIR.resolve("invalid.yaml").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        String file = DIR.resolve("invalid.yaml").toString();
        assertThat(r.err()).contains(
                file + ": apps[0].policy.allow.and[1].device: unknown field 'compliantt'",
                file + ": apps[1].upstream: must be an http:// or https:// URL",
                file + ": apps[1].idp: unknown IdP 'nope' (known: corp)",
                "INVALID: 3 errors in " + file);
    }

    @Test
    void testWithAnInvalidConfigExitsTwo() {
        Run r = run("test", DIR.resolve("invalid.yaml").toString(), DIR.resolve("suite").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("apps[0].policy.allow.and[1].device: unknown field 'compliantt'",
                "apps[1].idp: unknown IdP 'nope' (known: corp)");
        assertThat(r.out()).doesNotContain("PASS", "FAIL");
    }

    @Test
    void passingSuite() {
        Run r = run("test", CONFIG, DIR.resolve("suite").toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.outLines()).allMatch(l -> l.startsWith("PASS  ") || l.equals("18 passed, 0 failed"));
        assertThat(r.outLines()).last().isEqualTo("18 passed, 0 failed");
        // files in name order, cases in file order, labelled by file stem
        assertThat(r.outLines().get(0)).isEqualTo("PASS  routing: unknown host");
        assertThat(r.outLines()).contains(
                "PASS  routing: encoded traversal",
                "PASS  routing: reserved path",
                "PASS  times: stale posture",
                "PASS  wiki: staff cannot delete");
    }

    @Test
    void failingCase() {
        Run r = run("test", CONFIG, DIR.resolve("failing.yaml").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly(
                "PASS  failing: alice can read",
                "FAIL  failing: bob cannot delete  expected deny [groups-unauthorized], got allow [groups-ok] (rule allow)",
                "1 passed, 1 failed");
    }

    @Test
    void mismatchOnRuleAndApp() {
        PolicyCase.Expectation e = new PolicyCase.Expectation("deny", List.of(), "deny.or[0].source_ip", "wiki");
        assertThat(CaseRunner.mismatch(e, new CaseRunner.Result("not-found", List.of("route-not-found"), null, null)))
                .isEqualTo("expected deny (rule deny.or[0].source_ip) on app wiki, got not-found [route-not-found] on no app");
        assertThat(CaseRunner.mismatch(e, new CaseRunner.Result("deny", List.of("source-ip-unauthorized", "groups-ok"),
                "deny.or[0].source_ip", "wiki"))).isNull();
        // expected reasons are a prefix, in order
        PolicyCase.Expectation two = new PolicyCase.Expectation("deny", List.of("groups-ok", "source-ip-unauthorized"),
                null, null);
        assertThat(CaseRunner.mismatch(two, new CaseRunner.Result("deny", List.of("source-ip-unauthorized", "groups-ok"),
                "r", "wiki"))).startsWith("expected deny [groups-ok, source-ip-unauthorized], got deny");
    }

    @Test
    void unknownKeysAndBadValuesAreErrorsWithFileAndIndex() {
        String file = DIR.resolve("unknown-key.yaml").toString();
        Run r = run("test", CONFIG, file);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains(
                "PASS  unknown-key: fine",
                "ERROR " + file + " cases[1]: unknown key 'methd'",
                "ERROR " + file + " cases[1].expect: unknown key 'reson'",
                "ERROR " + file + " cases[2]: give either 'host' or 'app', not both",
                "ERROR " + file + " cases[2].source_ip: not an IPv4 or IPv6 address: 'my-laptop'",
                "ERROR " + file + " cases[2].time: expected an ISO-8601 date-time with offset",
                "ERROR " + file + " cases[2].claims.auth_time: placeholder '${now-5x}': invalid duration '5x'",
                "ERROR " + file + " cases[2].expect.decision: required, one of allow, deny, unauthenticated, not-found, bad-request, reserved; got 'maybe'",
                "ERROR " + file + " cases[2].expect.reasons[0]: unknown reason code 'groups-okay'",
                "ERROR unknown-key: unknown app  no app with id 'nope' in the config (known: wiki, ops, portal)");
        assertThat(r.outLines()).last().isEqualTo("1 passed, 0 failed, 3 errors");
    }

    @Test
    void fileLevelErrors() {
        Path dir = Path.of("target/cli-test-files/file-errors");
        write(dir.resolve("no-cases.yaml"), "defaults: {host: wiki.example.com, methd: GET}\ncases: []\n");
        write(dir.resolve("broken.yaml"), "cases:\n  - {name: x, expect: {rule: allow.and[1].device}}\n");
        Run r = run("test", CONFIG, dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains(
                "ERROR " + dir.resolve("broken.yaml") + ": not valid YAML: ",
                "(line 2, column ",
                "quote values with [ ] { } , such as rule: \"allow.and[1].device\"",
                "ERROR " + dir.resolve("no-cases.yaml") + ": defaults: unknown key 'methd'",
                "ERROR " + dir.resolve("no-cases.yaml") + ": cases: expected a non-empty list of cases");
        assertThat(r.outLines()).last().isEqualTo("0 passed, 0 failed, 3 errors");
    }

    @Test
    void placeholdersResolveAgainstTheCaseTime() {
        List<String> errors = new ArrayList<>();
        Instant t = Instant.parse("2026-03-02T09:00:00Z");
        Object resolved = CaseFileReader.resolve(Map.of("a", "${now}", "b", List.of("${now-15m}", "${now+2h}"),
                "c", Map.of("d", "${now-1d}"), "e", "plain", "f", "${now - 5s}"), t, "claims", errors);
        assertThat(resolved).isEqualTo(Map.of("a", 1772442000L, "b", List.of(1772441100L, 1772449200L),
                "c", Map.of("d", 1772355600L), "e", "plain", "f", "${now - 5s}"));
        assertThat(errors).containsExactly("claims.f: bad placeholder '${now - 5s}' (use ${now}, ${now-15m}, ${now+1h30m})");
    }

    @Test
    void usage() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("check").code()).isEqualTo(2);
        assertThat(run("test", CONFIG).code()).isEqualTo(2);
        assertThat(run("frobnicate").err()).contains("unknown policy command 'frobnicate'", "usage:");
        assertThat(run("help").code()).isZero();
        assertThat(run("check", "does/not/exist.yaml").code()).isEqualTo(2);
        assertThat(run("test", CONFIG, "does/not/exist").code()).isEqualTo(2);
    }

    @Test
    void colourOnlyWhenAsked() {
        Run plain = run(Map.of(), false, "test", CONFIG, DIR.resolve("failing.yaml").toString());
        assertThat(plain.out()).doesNotContain("\u001b[");
        Run color = run(Map.of(), true, "test", CONFIG, DIR.resolve("failing.yaml").toString());
        assertThat(color.out()).contains("\u001b[32mPASS\u001b[0m  failing: alice can read",
                "\u001b[31mFAIL\u001b[0m  failing: bob cannot delete");
    }

    /** The shipped examples must keep passing against the shipped config. */
    @Test
    void shippedExamplesPass() {
        Run check = run("check", "deploy/examples/gatehouse.yaml");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).isEqualTo("OK: 2 IdP(s), 4 app(s)\n");
        Run r = run(Map.of(), false, "test", "deploy/examples/gatehouse.yaml", "deploy/examples/policy-tests");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).doesNotContain("FAIL", "ERROR").contains(" passed, 0 failed");
    }

    @Test
    void aLoaderCrashIsReportedNotThrown() {
        Path file = Path.of("target/cli-test-files/crash/huge-timeout.yaml");
        write(file, """
                idps: {corp: {issuer: "https://login.example.com", audience: gatehouse}}
                apps:
                  - {id: a, host: a.example.com, upstream: "http://10.0.0.1", idp: corp,
                     timeout: 99999999999999999999s, policy: {allow: {accept: true}}}
                """);
        Run r = run("check", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(file.toString(), "INVALID");
    }

    /** The complete example in docs/policy-testing.md runs green against the shipped config. */
    @Test
    void documentedExamplePasses() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(Path.of("docs/policy-testing.md"));
        int section = doc.indexOf("## Case file format");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        Path file = Path.of("target/cli-test-files/doc/wiki.yaml");
        write(file, yaml);
        Run r = run("test", "deploy/examples/gatehouse.yaml", file.toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.outLines()).last().isEqualTo("7 passed, 0 failed");
    }

    private static void write(Path file, String text) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
