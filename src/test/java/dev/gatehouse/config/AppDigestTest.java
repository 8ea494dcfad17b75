package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The digest that decides whether a reload recompiles an app: stable under everything that does not
 * change the app (comments, layout, key order, the other apps), different for anything that does
 * (a value, a value's type, a setting of its IdP, the secret included).
 */
class AppDigestTest {
    private static final String IDPS = """
            idps:
              corp:
                issuer: https://login.example.com/realms/corp
                audience: gatehouse
                client-secret: ${SECRET}
              partner:
                issuer: https://partner.example.org
                audience: gatehouse
            """;
    private static final String WIKI = """
              - id: wiki
                host: wiki.example.com
                upstream: http://10.0.0.5:8080
                idp: corp
                policy:
                  allow:
                    and:
                      - groups: { has: engineering }
                      - device: { compliant: true }
            """;
    private static final String SHOP = """
              - id: shop
                host: shop.example.com
                upstream: http://10.0.0.6
                idp: partner
                policy: { allow: { accept: true } }
            """;

    private static Map<String, String> digests(String yaml, String secret) {
        return ConfigLoader.withEnvironment(Map.of("SECRET", secret)).parse(yaml, "t").digests();
    }

    private static Map<String, String> digests(String yaml) {
        return digests(yaml, "s1");
    }

    @Test
    void theSameDefinitionHasTheSameDigestHoweverItIsWritten() {
        String plain = IDPS + "apps:\n" + WIKI + SHOP;
        String rewritten = IDPS + "# a comment\napps:\n" + """
                  - host: "wiki.example.com"     # quoted, keys in another order
                    id: wiki
                    policy: { allow: { and: [ { device: { compliant: true } }, { groups: { has: engineering } } ] } }
                    idp: corp
                    upstream: 'http://10.0.0.5:8080'
                """;
        assertThat(digests(plain)).isEqualTo(digests(plain));
        // the `and` list's order is part of the policy (reasons come in rule order): reordered items differ
        assertThat(digests(rewritten).get("wiki")).isNotEqualTo(digests(plain).get("wiki"));
        String reordered = rewritten.replace(
                "[ { device: { compliant: true } }, { groups: { has: engineering } } ]",
                "[ { groups: { has: engineering } }, { device: { compliant: true } } ]");
        assertThat(digests(reordered).get("wiki")).isEqualTo(digests(plain).get("wiki"));
        assertThat(digests(IDPS + "apps:\n" + SHOP + WIKI)).as("other apps moved around").isEqualTo(digests(plain));
        assertThat(digests(IDPS + "apps:\n" + WIKI).get("wiki")).as("another app removed")
                .isEqualTo(digests(plain).get("wiki"));
    }

    @Test
    void anyChangeToTheAppOrItsIdpChangesItsDigestOnly() {
        String plain = IDPS + "apps:\n" + WIKI + SHOP;
        Map<String, String> before = digests(plain);
        Map<String, String> policy = digests(plain.replace("has: engineering", "has: admins"));
        assertThat(policy.get("wiki")).isNotEqualTo(before.get("wiki"));
        assertThat(policy.get("shop")).isEqualTo(before.get("shop"));

        Map<String, String> audience = digests(plain.replace("audience: gatehouse\n    client-secret", "audience: other\n    client-secret"));
        assertThat(audience.get("wiki")).as("its IdP's audience").isNotEqualTo(before.get("wiki"));
        assertThat(audience.get("shop")).as("another IdP's app").isEqualTo(before.get("shop"));
        assertThat(digests(plain, "s2").get("wiki")).as("its IdP's secret").isNotEqualTo(before.get("wiki"));
        assertThat(digests(plain.replace("idp: corp", "idp: partner")).get("wiki")).isNotEqualTo(before.get("wiki"));
    }

    @Test
    void aValuesTypeCounts() {
        Map<String, Object> bool = Map.of("device", Map.of("compliant", true));
        Map<String, Object> text = Map.of("device", Map.of("compliant", "true"));
        Map<String, Object> number = Map.of("n", 1);
        Map<String, Object> longNumber = Map.of("n", 1L);
        assertThat(AppDigest.of(bool, null)).isNotEqualTo(AppDigest.of(text, null));
        assertThat(AppDigest.of(number, null)).isNotEqualTo(AppDigest.of(longNumber, null));
        assertThat(AppDigest.of(List.of("a", "b"), null)).isNotEqualTo(AppDigest.of(List.of("ab"), null));
        assertThat(AppDigest.of(Map.of("a", "b"), null)).isNotEqualTo(AppDigest.of(List.of("a", "b"), null));
    }

    @Test
    void theDigestIsPinned() {
        // the canonical form must not drift unnoticed: a new form would count every app as changed
        assertThat(AppDigest.of(Map.of("id", "wiki", "n", 3, "ok", true, "l", List.of("x")), null))
                .isEqualTo("61de0098e3a88bcf381e58b30d56e1ae64700fa60b712ae702a0e4eba4acc7ef");
        assertThat(AppDigest.ofBytes(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
