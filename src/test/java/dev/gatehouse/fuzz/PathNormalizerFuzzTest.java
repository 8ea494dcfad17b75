package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.HostNormalizer;
import dev.gatehouse.gateway.PathNormalizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Hostile paths: the normaliser either rejects or returns a canonical, traversal-free path. */
class PathNormalizerFuzzTest {

    /** Paths built from the characters that matter: slashes, dots, escapes, hex digits, controls. */
    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> atoms = Arbitraries.of("/", "/", ".", "..", "%", "%2e", "%2E", "%2f", "%5c", "%25", "%00",
                "%c0%ae", "%c3%a9", "%e2%80%a8", "%61", "a", "b", "Z", "9", "-", "_", "~", ";", "\\", "?", "#", " ",
                "\u0000", "\r\n", "\u00e9", "%%", "%g1", "%3", "//");
        return atoms.list().ofMaxSize(24).map(parts -> String.join("", parts));
    }

    @Property(tries = 20_000)
    void rejectsOrCanonicalises(@ForAll("paths") String raw) {
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
    }

    @Property(tries = 5_000)
    void anyStringIsHandled(@ForAll String raw) {
        String p = PathNormalizer.normalize("/" + raw);
        if (p != null) {
            assertThat(PathNormalizer.normalize(p)).isEqualTo(p);
        }
        HostNormalizer.normalize(raw); // never throws
    }
}
