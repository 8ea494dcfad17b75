package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated config files: the loader returns a config or a ConfigException with errors, nothing else. */
class ConfigLoaderFuzzTest {
    private static final String VALID = """
            idps:
              corp:
                issuer: https://login.example.com/realms/corp
                audience: gatehouse
                client-secret: ${SECRET}
            apps:
              - id: wiki
                host: wiki.example.com
                path-prefix: /docs
                upstream: http://10.0.0.5:8080
                idp: corp
                timeout: 30s
                max-body-size: 10MB
                policy:
                  allow:
                    and:
                      - groups: { has: engineering }
                      - device: { compliant: true, max-posture-age: 15m }
                  deny:
                    or:
                      - source_ip: { in: [203.0.113.0/24] }
            """;
    private static final ConfigLoader LOADER = ConfigLoader.withEnvironment(Map.of("SECRET", "s"));

    private static final List<String> INSERTS = List.of(":", "-", " ", "\n", "{", "}", "[", "]", "&a", "*a",
            "!!binary", "'", "\"", "#", "|", "\t", "${X}", "0x", "~", "<<: *a", "\u0000", "? ");

    /** The valid file with a few characters deleted, duplicated or replaced by YAML-significant ones. */
    static String mutant(Random r) {
        StringBuilder sb = new StringBuilder(VALID);
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.insert(at, Fuzz.oneOf(r, INSERTS));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.replace(at, Math.min(sb.length(), at + 2), Fuzz.oneOf(r, INSERTS));
            }
        }
        return sb.toString();
    }

    @Test
    void loadsOrRejectsWithErrors() {
        Fuzz.check(5_000, ConfigLoaderFuzzTest::mutant, yaml -> {
            try {
                assertThat(LOADER.parse(yaml, "fuzz").apps()).isNotNull();
            } catch (ConfigException e) {
                assertThat(e.errors()).isNotEmpty().allMatch(s -> !s.isBlank());
            }
        });
    }

    @Test
    void arbitraryTextIsRejectedCleanly() {
        Fuzz.check(5_000, r -> Fuzz.anyString(r, 200), text -> {
            try {
                LOADER.parse(text, "fuzz");
            } catch (ConfigException e) {
                assertThat(e.errors()).isNotEmpty();
            }
        });
    }
}
