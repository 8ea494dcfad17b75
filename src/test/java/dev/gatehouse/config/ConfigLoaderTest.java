package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config file either loads whole or is rejected with every error and its path. */
class ConfigLoaderTest {
    private static final String VALID = """
            idps:
              corp:
                issuer: https://login.example.com/realms/corp/
                audience: gatehouse
                client-secret: ${CORP_SECRET}
                claims:
                  groups: realm_access.groups
            apps:
              - id: wiki
                host: Wiki.Example.com
                path-prefix: /docs/
                upstream: http://10.0.0.5:8080/base
                idp: corp
                timeout: 2s
                max-body-size: 10MB
                policy:
                  allow:
                    and:
                      - groups: { has: engineering }
              - id: all
                host: "*.example.com"
                upstream: https://10.0.0.6
                idp: corp
                login: both
                policy:
                  allow: { authenticated_user: true }
            """;

    private final ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("CORP_SECRET", "s3cret"));

    @Test
    void aValidFileLoadsWithDefaultsAndEnvironmentSecrets() {
        GatehouseConfig c = loader.parse(VALID, "test");
        IdpConfig corp = c.idps().get("corp");
        assertThat(corp.issuer()).isEqualTo("https://login.example.com/realms/corp");
        assertThat(corp.clientSecret()).isEqualTo("s3cret");
        assertThat(corp.toString()).doesNotContain("s3cret");
        assertThat(corp.claims().groups()).isEqualTo("realm_access.groups");
        assertThat(corp.claims().deviceCompliant()).isEqualTo("device_compliant");
        assertThat(corp.trustEmail()).as("emails need email_verified unless the IdP is trusted").isFalse();
        AppConfig wiki = c.apps().get(0);
        assertThat(wiki.host()).isEqualTo("wiki.example.com");
        assertThat(wiki.pathPrefix()).isEqualTo("/docs");
        assertThat(wiki.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(wiki.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(wiki.login()).isEqualTo(LoginMode.BEARER);
        assertThat(c.apps().get(1).login()).isEqualTo(LoginMode.BOTH);
        assertThat(c.apps().get(1).maxBodyBytes()).isEqualTo(-1);
    }

    @Test
    void everyErrorIsReportedAtOnceWithItsPath() {
        String bad = """
                idps:
                  corp:
                    issuer: not-a-url
                    audiense: x
                apps:
                  - id: Wiki
                    host: wiki.example.com
                    upstream: ftp://x
                    idp: nope
                    login: sometimes
                    policy:
                      allow:
                        and:
                          - groups: { has: engineering }
                          - device: { compliantt: true }
                  - id: api
                    host: api.example.com
                    upstream: http://10.0.0.1
                    idp: corp
                    timeout: fast
                  - id: api
                    host: api.example.com
                    upstream: http://10.0.0.1
                    idp: corp
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(bad, "bad.yaml"));
        assertThat(e.errors()).containsExactlyInAnyOrder(
                "idps.corp: unknown field 'audiense'",
                "idps.corp.issuer: must be an http(s) URL, got 'not-a-url'",
                "idps.corp.audience: is required",
                "apps[0].id: must match [a-z0-9-]+, got 'Wiki'",
                "apps[0].upstream: must be an http:// or https:// URL without query or credentials, got 'ftp://x'",
                "apps[0].idp: unknown IdP 'nope' (known: corp)",
                "apps[0].login: must be bearer, browser or both, got 'sometimes'",
                "apps[0].policy.allow.and[1].device: unknown field 'compliantt'",
                "apps[1].timeout: invalid duration 'fast', expected a positive duration such as 500ms, 90s, 15m, 1h30m, 7d or PT15M",
                "apps[2].id: duplicate app id 'api'",
                "apps[2]: another app already serves host 'api.example.com' with path-prefix '/'");
        assertThat(e.getMessage()).contains("bad.yaml").contains("11 errors");
    }

    @Test
    void unknownFieldsAmongKnownOnesAreReportedEachInNameOrder() {
        String bad = VALID.replace("    login: both\n", "    zeta: 1\n    login: both\n    alpha: 2\n");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> loader.parse(bad, "bad.yaml"));
        assertThat(e.errors()).containsExactly("apps[1]: unknown field 'alpha'", "apps[1]: unknown field 'zeta'");
    }

    @Test
    void trustEmailIsAnIdpSettingAndABoolean() {
        String trusted = VALID.replace("    audience: gatehouse\n", "    audience: gatehouse\n    trust-email: true\n");
        assertThat(trusted).contains("trust-email: true");
        assertThat(loader.parse(trusted, "test").idps().get("corp").trustEmail()).isTrue();
        String wrong = VALID.replace("    audience: gatehouse\n", "    audience: gatehouse\n    trust-email: \"yes\"\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(wrong, "test"));
        assertThat(e.errors()).containsExactly("idps.corp.trust-email: expected true or false, got 'yes'");
    }

    @Test
    void subjectEmailAndNameClaimsAreConfigurablePerIdpWithStandardDefaults() {
        IdpConfig standard = loader.parse(VALID, "test").idps().get("corp");
        assertThat(standard.claims().subject()).isEqualTo("sub");
        assertThat(standard.claims().email()).isEqualTo("email");
        assertThat(standard.claims().name()).isEqualTo("name");
        String entra = VALID.replace("      groups: realm_access.groups\n",
                "      groups: realm_access.groups\n      subject: oid\n      email: upn\n      name: profile.display\n");
        assertThat(entra).contains("subject: oid");
        IdpConfig e = loader.parse(entra, "test").idps().get("corp");
        assertThat(e.claims().subject()).isEqualTo("oid");
        assertThat(e.claims().email()).isEqualTo("upn");
        assertThat(e.claims().name()).isEqualTo("profile.display");
        assertThat(e.claims().groups()).isEqualTo("realm_access.groups");
        assertThat(e.tenantId()).as("a changed claim mapping is a changed IdP").isNotEqualTo(standard.tenantId());
    }

    @Test
    void aClaimPathThatCanNeverMatchIsRejectedWithItsPath() {
        String bad = VALID.replace("      groups: realm_access.groups\n",
                "      groups: realm_access..groups\n      subject: \"\"\n      name: 42\n      device-id: .id\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(bad, "test"));
        assertThat(e.errors()).containsExactlyInAnyOrder(
                "idps.corp.claims.groups: 'realm_access..groups' is not a claim path (claim names joined by single dots, e.g. realm_access.roles)",
                "idps.corp.claims.subject: '' is not a claim path (claim names joined by single dots, e.g. realm_access.roles)",
                "idps.corp.claims.name: expected a string, got integer 42",
                "idps.corp.claims.device-id: '.id' is not a claim path (claim names joined by single dots, e.g. realm_access.roles)");
    }

    @Test
    void anUnsetSecretIsAnErrorNotAnEmptyString() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).parse(VALID, "test"));
        assertThat(e.errors()).containsExactly("idps.corp.client-secret: environment variable 'CORP_SECRET' is not set");
    }

    @Test
    void duplicateKeysAndBrokenYamlAreRejected() {
        assertThatThrownBy(() -> loader.parse("idps:\n  a: {}\n  a: {}\napps: []\n", "dup"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> loader.parse("idps: [unclosed", "broken"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> loader.parse("- just a list", "list"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be a mapping");
    }

    @Test
    void overflowingSizesAndDurationsAreErrorsNotCrashesOrMissingLimits() {
        String yaml = VALID.replace("timeout: 2s", "timeout: 99999999999999999999s")
                .replace("max-body-size: 10MB", "max-body-size: 8589934592GB");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(yaml, "t"));
        assertThat(e.errors()).anyMatch(s -> s.startsWith("apps[0].timeout:"))
                .anyMatch(s -> s.startsWith("apps[0].max-body-size:"));
    }

    @Test
    void pathPrefixesMustBeInTheFormRequestsAreNormalisedTo() {
        for (String prefix : new String[] {"/%61dmin", "/a;b", "/a//b", "/a/./b"}) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> loader.parse(VALID.replace("path-prefix: /docs/", "path-prefix: \"" + prefix + "\""), "t"));
            assertThat(e).as(prefix).isNotNull();
            assertThat(e.errors()).as(prefix).anyMatch(s -> s.startsWith("apps[0].path-prefix:"));
        }
    }

    @Test
    void hostilePrefixesAndHostsAreRejected() {
        String yaml = VALID.replace("path-prefix: /docs/", "path-prefix: /docs/../admin")
                .replace("host: \"*.example.com\"", "host: \"exa mple.com\"");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(yaml, "t"));
        assertThat(e.errors()).anyMatch(s -> s.startsWith("apps[0].path-prefix:"))
                .anyMatch(s -> s.startsWith("apps[1].host:"));
    }
}
