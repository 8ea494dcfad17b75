package dev.gatehouse.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Path and host normalisation: one canonical form, everything ambiguous rejected. */
class NormalizerTest {

    @ParameterizedTest
    @CsvSource({
            "/, /",
            "/a/b, /a/b",
            "//a///b, /a/b",
            "/%61dmin, /admin",
            "/a%2Db, /a-b",
            "/caf%c3%a9, /caf%C3%A9",
            "/a%20b, /a%20b",
            "/100%25, /100%25",
            "/a/b/, /a/b/",
            "/...., /....",
            "/a.b/c, /a.b/c"})
    void canonicalForms(String raw, String normalised) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "*", "/..", "/a/../b", "/a/./b", "/.", "/%2e%2e/x", "/%2E./x", "/.%2e",
            "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/a%00", "/a%0d%0a", "/a%7f", "/a b", "/a;b", "/a#b",
            "/%252e%252e", "/%25%32%65", "/%c0%ae%c0%ae", "/%e0%80%ae", "/%ff", "/%c3", "/%zz", "/a%", "/a%2",
            "/\u00e9", "/a\tb"})
    void rejected(String raw) {
        assertThat(PathNormalizer.normalize(raw)).as(raw).isNull();
    }

    @ParameterizedTest
    @CsvSource({"Example.COM, example.com", "example.com., example.com", "example.com:8443, example.com",
            "[::1]:8080, [::1]", "10.0.0.1, 10.0.0.1"})
    void hosts(String raw, String normalised) {
        assertThat(HostNormalizer.normalize(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.com", "a..b", ".a", "a.com:99999", "a.com:x", "a_b.com", "[::1", "a.com:",
            "évil.com", "a.com@b.com"})
    void rejectedHosts(String raw) {
        assertThat(HostNormalizer.normalize(raw)).as(raw).isNull();
    }
}
