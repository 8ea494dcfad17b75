package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar refuses to start on a bad config, listing every error; it never half-loads. */
class BadConfigIT {

    @Test
    void startupFailsListingEveryError() throws IOException, InterruptedException {
        Path config = Files.createTempFile("bad-gatehouse", ".yaml");
        Files.writeString(config, """
                idps:
                  corp:
                    issuer: https://login.example.com/realms/corp
                    audience: gatehouse
                apps:
                  - id: wiki
                    host: wiki.example.com
                    upstream: http://10.0.0.5
                    idp: corp
                    policy:
                      allow:
                        and:
                          - grups: { has: engineering }
                          - device: { compliantt: true }
                  - id: api
                    host: api.example.com
                    upstream: http://10.0.0.6
                    idp: missing
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dgatehouse.config=" + config,
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process must exit by itself").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("(3 errors)")
                .contains("apps[0].policy.allow.and[0]: unknown criterion 'grups'")
                .contains("apps[0].policy.allow.and[1].device: unknown field 'compliantt'")
                .contains("apps[1].idp: unknown IdP 'missing' (known: corp)")
                .doesNotContain("Listening on");
    }
}
