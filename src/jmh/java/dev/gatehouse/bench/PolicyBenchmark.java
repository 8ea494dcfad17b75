package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.CompiledPolicy;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Evaluation cost of a realistic policy (device compliance with posture age, group, MFA, office
 * hours in a time zone, a blocked network in deny), for an allowed and a denied request.
 * Compilation and identity building happen in setup: they run once per policy load / per token.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBenchmark {
    static final String POLICY = """
            allow:
              and:
                - groups: {has: engineering}
                - device: {compliant: true, max-posture-age: 15m}
                - mfa: true
                - time_of_day: {from: "07:00", to: "20:00", tz: Europe/Berlin}
            deny:
              or:
                - source_ip: {in: [203.0.113.0/24, "2001:db8:bad::/48"]}
            """;

    private CompiledPolicy policy;
    private AccessRequest allowed;
    private AccessRequest denied;

    @Setup
    public void setup() throws Exception {
        CompileResult result = PolicyCompiler.compile(new ObjectMapper(new YAMLFactory()).readValue(POLICY, Object.class), "", 1);
        if (!result.ok()) {
            throw new IllegalStateException(result.errors().toString());
        }
        policy = result.policy();
        Instant now = Instant.parse("2026-06-15T10:00:00Z");
        Map<String, Object> claims = Map.of("sub", "alice", "email", "alice@example.com",
                "groups", List.of("staff", "engineering", "oncall"), "amr", List.of("pwd", "otp"),
                "device_id", "LAPTOP-42", "device_compliant", true, "device_posture_at", now.getEpochSecond() - 120);
        var identity = IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS, false);
        allowed = new AccessRequest(identity, "GET", "/wiki/Home", "wiki.example.com",
                InetAddress.getByName("198.51.100.7"), now);
        denied = new AccessRequest(identity, "GET", "/wiki/Home", "wiki.example.com",
                InetAddress.getByName("203.0.113.9"), now);
        check(evaluateAllowed(), true);
        check(evaluateDenied(), false);
    }

    private static void check(Decision d, boolean allowed) {
        if (d.allowed() != allowed) {
            throw new IllegalStateException("unexpected decision " + d);
        }
    }

    @Benchmark
    public Decision evaluateAllowed() {
        return PolicyEvaluator.evaluate(policy, allowed);
    }

    @Benchmark
    public Decision evaluateDenied() {
        return PolicyEvaluator.evaluate(policy, denied);
    }
}
