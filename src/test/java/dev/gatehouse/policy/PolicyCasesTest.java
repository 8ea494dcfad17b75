package dev.gatehouse.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the table-driven cases in {@code src/test/resources/policy-cases}.
 *
 * <p>Valid cases ({@code *.yaml}): a file is {@code {policy, request, cases: [...]}} where the
 * file-level policy and request are defaults; a case has {@code name}, optional {@code policy}
 * (replaces the default), optional {@code request} (its keys replace the default's keys:
 * {@code claims}, {@code anonymous}, {@code claim-paths}, {@code trust-email} (the IdP setting),
 * {@code method}, {@code path}, {@code host}, {@code source_ip}, {@code time}) and
 * {@code expect: {outcome, reasons, rule}}. The default claims carry {@code email_verified: true};
 * a case that sets {@code claims} gives the complete claim set.
 * {@code reasons}, when given, must equal the decision's reasons EXACTLY (same codes, same order);
 * {@code rule}, when given, must equal the decision's rule.
 *
 * <p>Invalid cases ({@code invalid/*.yaml}): {@code cases: [{name, base, policy, errors}]} where
 * {@code errors} is the complete set of {@code "path: message"} strings the compiler must report.
 */
class PolicyCasesTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Map<String, Object> DEFAULT_REQUEST = Map.of(
            "claims", Map.of("sub", "alice", "email", "alice@example.com", "email_verified", true),
            "method", "GET", "path", "/", "host", "app.example.com",
            "source_ip", "192.0.2.10", "time", "2026-06-15T10:00:00Z");

    static Stream<Arguments> validCases() throws IOException {
        return load("policy-cases", true).stream();
    }

    static Stream<Arguments> invalidCases() throws IOException {
        return load("policy-cases/invalid", false).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    @SuppressWarnings("unchecked")
    void valid(String name, Map<String, Object> c) throws IOException {
        CompileResult compiled = PolicyCompiler.compile(c.get("policy"), "", 7);
        assertThat(compiled.errors()).as("%s: compile errors", name).isEmpty();
        Decision d = PolicyEvaluator.evaluate(compiled.policy(), request((Map<String, Object>) c.get("request")));
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        assertThat(d.outcome().name()).as("%s: outcome (reasons %s, rule %s)", name, d.reasons(), d.rule())
                .isEqualTo(expect.get("outcome"));
        if (expect.containsKey("reasons")) {
            assertThat(d.reasons().stream().map(Reason::code).toList()).as("%s: reasons", name).isEqualTo(expect.get("reasons"));
        }
        if (expect.containsKey("rule")) {
            assertThat(d.rule()).as("%s: rule", name).isEqualTo(expect.get("rule"));
        }
        assertThat(d.policyVersion()).isEqualTo(7);
        // evaluating again must give the same decision (exercises the decision cache)
        assertThat(PolicyEvaluator.evaluate(compiled.policy(), request((Map<String, Object>) c.get("request")))).isEqualTo(d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    @SuppressWarnings("unchecked")
    void invalid(String name, Map<String, Object> c) {
        String base = (String) c.getOrDefault("base", "");
        CompileResult compiled = PolicyCompiler.compile(c.get("policy"), base, 1);
        assertThat(compiled.ok()).as("%s: rejected", name).isFalse();
        assertThat(compiled.policy()).isNull();
        assertThat(compiled.errors().stream().map(PolicyError::toString).toList()).as("%s: errors", name)
                .containsExactlyInAnyOrderElementsOf((List<String>) c.get("errors"));
    }

    @Test
    void tablesAreLargeEnough() throws IOException {
        assertThat(load("policy-cases", true)).hasSizeGreaterThanOrEqualTo(120);
        assertThat(load("policy-cases/invalid", false)).hasSizeGreaterThanOrEqualTo(30);
    }

    @SuppressWarnings("unchecked")
    static AccessRequest request(Map<String, Object> r) throws IOException {
        Identity identity = null;
        if (!Boolean.TRUE.equals(r.get("anonymous"))) {
            Map<String, Object> p = (Map<String, Object>) r.getOrDefault("claim-paths", Map.of());
            ClaimPaths d = ClaimPaths.DEFAULTS;
            ClaimPaths paths = new ClaimPaths(
                    (String) p.getOrDefault("groups", d.groups()), (String) p.getOrDefault("roles", d.roles()),
                    (String) p.getOrDefault("device-id", d.deviceId()),
                    (String) p.getOrDefault("device-compliant", d.deviceCompliant()),
                    (String) p.getOrDefault("device-managed", d.deviceManaged()),
                    (String) p.getOrDefault("device-trust", d.deviceTrust()),
                    (String) p.getOrDefault("device-posture-at", d.devicePostureAt()));
            identity = IdentityFactory.fromClaims((Map<String, Object>) r.get("claims"), paths,
                    Boolean.TRUE.equals(r.get("trust-email")));
        }
        String ip = (String) r.get("source_ip");
        String time = (String) r.get("time");
        return new AccessRequest(identity, (String) r.get("method"), (String) r.get("path"), (String) r.get("host"),
                ip == null ? null : InetAddress.getByName(ip), time == null ? null : Instant.parse(time));
    }

    @SuppressWarnings("unchecked")
    private static List<Arguments> load(String dir, boolean valid) throws IOException {
        Path root;
        try {
            root = Path.of(PolicyCasesTest.class.getClassLoader().getResource(dir).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(root)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<Arguments> out = new ArrayList<>();
        for (Path file : files) {
            Map<String, Object> doc = YAML.readValue(file.toFile(), Map.class);
            Map<String, Object> fileRequest = new LinkedHashMap<>(DEFAULT_REQUEST);
            fileRequest.putAll((Map<String, Object>) doc.getOrDefault("request", Map.of()));
            for (Map<String, Object> c : (List<Map<String, Object>>) doc.get("cases")) {
                Map<String, Object> merged = new LinkedHashMap<>(c);
                if (valid) {
                    if (!c.containsKey("policy")) {
                        merged.put("policy", doc.get("policy"));
                    }
                    Map<String, Object> request = new LinkedHashMap<>(fileRequest);
                    request.putAll((Map<String, Object>) c.getOrDefault("request", Map.of()));
                    merged.put("request", request);
                }
                out.add(Arguments.of(file.getFileName() + ": " + c.get("name"), merged));
            }
        }
        return out;
    }
}
