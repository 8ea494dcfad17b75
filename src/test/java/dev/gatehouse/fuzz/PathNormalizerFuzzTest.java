package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.net.HostNormalizer;
import dev.gatehouse.net.PathNormalizer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile paths: the normaliser either rejects or returns a canonical, traversal-free path. */
class PathNormalizerFuzzTest {
    private static final List<String> ATOMS = List.of("/", "/", ".", "..", "%", "%2e", "%2E", "%2f", "%5c", "%25",
            "%00", "%c0%ae", "%c3%a9", "%e2%80%a8", "%61", "a", "b", "Z", "9", "-", "_", "~", ";", "\\", "?", "#", " ",
            "\u0000", "\r\n", "\u00e9", "%%", "%g1", "%3", "//", "%32", "%65");

    /** Paths built from the characters that matter: slashes, dots, escapes, hex digits, controls. */
    static String path(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(25);
        for (int i = 0; i < n; i++) {
            sb.append(Fuzz.oneOf(r, ATOMS));
        }
        return sb.toString();
    }

    @Test
    void rejectsOrCanonicalises() {
        Fuzz.check(50_000, PathNormalizerFuzzTest::path, raw -> {
            String p = PathNormalizer.normalize(raw);
            if (p == null) {
                return;
            }
            assertThat(p).startsWith("/").doesNotContain("//").doesNotContain("\\").doesNotContain(";");
            for (String segment : p.split("/")) {
                assertThat(segment).isNotIn(".", "..");
            }
            assertThat(p.toLowerCase()).doesNotContain("%2f").doesNotContain("%5c").doesNotContain("%2e")
                    .doesNotContain("%00");
            assertThat(p.chars().allMatch(c -> c > 0x20 && c < 0x7f)).isTrue();
            assertThat(PathNormalizer.normalize(p)).as("idempotent").isEqualTo(p);
        });
    }

    @Test
    void anyStringIsHandled() {
        Fuzz.check(20_000, r -> Fuzz.anyString(r, 60), raw -> {
            String p = PathNormalizer.normalize("/" + raw);
            if (p != null) {
                assertThat(PathNormalizer.normalize(p)).isEqualTo(p);
            }
            HostNormalizer.normalize(raw); // never throws
        });
    }
}
