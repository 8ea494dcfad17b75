package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.PolicyCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link PolicyCompiler#compile}: once per policy load or save, never per request (issue 2).
 * The input is the YAML tree as the config loader hands it over (parsing the YAML text is not
 * part of it): {@code realistic} is the policy of {@link PolicyBenchmark}, {@code large} uses most
 * criteria and operators of the language, as a demanding admin policy would.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyCompileBenchmark {
    static final String LARGE = """
            allow:
              or:
                - and:
                    - groups: {has: engineering, not_in: [contractors]}
                    - roles: {has: developer}
                    - device: {compliant: true, managed: true, min-trust: 3, max-posture-age: 15m}
                    - mfa: true
                    - max-auth-age: 12h
                    - email: {ends_with: "@example.com"}
                    - time_of_day: {from: "07:00", to: "20:00", tz: Europe/Berlin}
                    - day_of_week: {in: [mon, tue, wed, thu, fri], tz: Europe/Berlin}
                - and:
                    - groups: {has: oncall}
                    - claim/org.team: {in: [platform, sre]}
                    - http_method: {in: [GET, HEAD]}
                    - http_path: {starts_with: /status}
                - and:
                    - domain: {is: partner.example}
                    - claim/level: {gte: 3}
                    - not:
                        - user: {in: [mallory, eve]}
            deny:
              or:
                - source_ip: {in: [203.0.113.0/24, "2001:db8:bad::/48", 198.18.0.0/15]}
                - nor:
                    - authenticated_user: true
                    - accept: true
            """;

    private Object realistic;
    private Object large;

    @Setup
    public void setup() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        realistic = yaml.readValue(PolicyBenchmark.POLICY, Object.class);
        large = yaml.readValue(LARGE, Object.class);
        check(compileRealistic());
        check(compileLarge());
    }

    private static void check(CompileResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.errors().toString());
        }
    }

    @Benchmark
    public CompileResult compileRealistic() {
        return PolicyCompiler.compile(realistic, "apps[0].policy", 1);
    }

    @Benchmark
    public CompileResult compileLarge() {
        return PolicyCompiler.compile(large, "apps[0].policy", 1);
    }
}
