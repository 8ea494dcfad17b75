package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idps.<id>.ca-file}: read and checked at load, part of the IdP's identity (tenant id). */
class IdpCaFileTest {
    private static final Path CERT = Path.of("src/test/resources/tls/localhost-cert.pem");
    private static final Path OTHER_CERT = Path.of("src/test/resources/tls/api.test-cert.pem");

    @TempDir
    Path dir;

    private static String config(String issuer, String caFile) {
        return """
                idps:
                  corp:
                    issuer: %s
                    audience: gatehouse
                    ca-file: %s
                apps:
                  - id: wiki
                    host: wiki.example.com
                    upstream: http://127.0.0.1:9999
                    idp: corp
                    policy:
                      allow: { authenticated_user: true }
                """.formatted(issuer, caFile);
    }

    private static GatehouseConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.withEnvironment(env).parse(yaml, "test");
    }

    @Test
    void aPemCaFileIsReadWithItsCertificates() {
        GatehouseConfig c = load(config("https://login.corp.test/realms/corp", CERT.toString()), Map.of());
        IdpCa ca = c.idps().get("corp").ca();
        assertThat(ca).isNotNull();
        assertThat(ca.file()).isEqualTo(CERT.toString());
        assertThat(ca.certificates()).hasSize(1);
        assertThat(ca.sslContext()).isNotNull();
        assertThat(c.idps().get("corp").toString()).contains("ca=" + CERT).doesNotContain("BEGIN CERTIFICATE");
    }

    @Test
    void withoutCaFileTheJvmTrustStoreIsUsed() {
        GatehouseConfig c = load(config("https://login.corp.test/realms/corp", "x").replace("    ca-file: x\n", ""),
                Map.of());
        assertThat(c.idps().get("corp").ca()).isNull();
    }

    @Test
    void thePathMayComeFromTheEnvironment() {
        GatehouseConfig c = load(config("https://login.corp.test/realms/corp", "${CORP_CA}"),
                Map.of("CORP_CA", CERT.toString()));
        assertThat(c.idps().get("corp").ca().file()).isEqualTo(CERT.toString());
    }

    @Test
    void aMissingFileIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> load(config("https://login.corp.test/realms/corp", dir.resolve("nope.pem").toString()),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("idps.corp.ca-file: cannot read '" + dir.resolve("nope.pem") + "'");
    }

    @Test
    void aFileWithoutACertificateIsAnError() throws Exception {
        Path key = dir.resolve("key.pem");
        Files.copy(Path.of("src/test/resources/tls/localhost-key.pem"), key);
        assertThatThrownBy(() -> load(config("https://login.corp.test/realms/corp", key.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("idps.corp.ca-file: '" + key + "' holds no PEM certificate");
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> load(config("https://login.corp.test/realms/corp", broken.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("idps.corp.ca-file: '" + broken + "' is not a readable PEM certificate");
    }

    @Test
    void aCaFileForAPlainHttpIssuerIsAnError() {
        assertThatThrownBy(() -> load(config("http://login.corp.test/realms/corp", CERT.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("idps.corp.ca-file: applies to an https issuer only");
    }

    @Test
    void aReplacedCaGivesTheIdpANewTenant() throws Exception {
        Path file = dir.resolve("ca.pem");
        Files.copy(CERT, file);
        String yaml = config("https://login.corp.test/realms/corp", file.toString());
        String before = load(yaml, Map.of()).idps().get("corp").tenantId();
        assertThat(load(yaml, Map.of()).idps().get("corp").tenantId()).as("same file, same tenant").isEqualTo(before);
        Files.copy(OTHER_CERT, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(load(yaml, Map.of()).idps().get("corp").tenantId()).isNotEqualTo(before);
    }
}
