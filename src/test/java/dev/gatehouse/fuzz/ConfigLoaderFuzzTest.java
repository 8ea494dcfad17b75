package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

    /** The valid file with a few characters deleted, duplicated or replaced by YAML-significant ones. */
    @Provide
    Arbitrary<String> mutants() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length() - 1);
        Arbitrary<String> insert = Arbitraries.of(":", "-", " ", "\n", "{", "}", "[", "]", "&a", "*a", "!!binary",
                "'", "\"", "#", "|", "\t", "${X}", "0x", "~", "<<: *a", "\u0000", "? ");
        return Arbitraries.integers().between(1, 4).flatMap(n -> position.list().ofSize(n)
                .flatMap(positions -> insert.list().ofSize(n).map(inserts -> {
                    StringBuilder sb = new StringBuilder(VALID);
                    for (int i = 0; i < positions.size(); i++) {
                        int at = Math.min(positions.get(i), sb.length() - 1);
                        switch (i % 3) {
                            case 0 -> sb.insert(at, inserts.get(i));
                            case 1 -> sb.deleteCharAt(at);
                            default -> sb.replace(at, Math.min(sb.length(), at + 2), inserts.get(i));
                        }
                    }
                    return sb.toString();
                })));
    }

    @Property(tries = 3_000)
    void loadsOrRejectsWithErrors(@ForAll("mutants") String yaml) {
        try {
            assertThat(LOADER.parse(yaml, "fuzz").apps()).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.errors()).isNotEmpty().allMatch(s -> !s.isBlank());
        }
    }

    @Property(tries = 2_000)
    void arbitraryTextIsRejectedCleanly(@ForAll String text) {
        try {
            LOADER.parse(text, "fuzz");
        } catch (ConfigException e) {
            assertThat(e.errors()).isNotEmpty();
        }
    }
}
