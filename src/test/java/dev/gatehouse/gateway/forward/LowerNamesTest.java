package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LowerNames}: the lower-case form of a header name, whatever its type, from the table or made. */
class LowerNamesTest {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"Content-Type", "content-type", "CONTENT-TYPE", "X-Request-Id", "Connection", "A",
            "X-\u0130d", "Tr\u0131ck", "\u212Aeep-Alive", "x-\u00c9", "Co\u017Fkie"})
    void isToLowerCaseOfTheNameForStringsAndAsciiStrings(String name) {
        String expected = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < 3; i++) { // the first call fills the table, the others read it
            assertThat(LowerNames.lower(name)).isEqualTo(expected);
            if (name.chars().allMatch(c -> c < 0x80)) {
                assertThat(LowerNames.lower(new AsciiString(name))).isEqualTo(expected);
            }
        }
    }

    @Test
    void aNameSeenBeforeInAnyCaseGivesTheSameStringBack() {
        String first = LowerNames.lower("X-Lower-Names-Test");
        assertThat(LowerNames.lower(new AsciiString("x-LOWER-names-TEST"))).isSameAs(first);
    }

    @Test
    void onlyAsciiLettersFold() {
        assertThat(LowerNames.sameLower("trick", "TRICK")).isTrue();
        // equalsIgnoreCase would say yes to these; their lower-case forms are not the ASCII names
        assertThat(LowerNames.sameLower("trick", "Tr\u0131ck")).as("dotless i").isFalse();
        assertThat(LowerNames.sameLower("cookie", "Coo\u212Aie")).as("Kelvin sign").isFalse();
        assertThat(LowerNames.sameLower("cookie", "Co\u017Fkie")).isFalse();
        assertThat(LowerNames.sameLower("x-a", "X-A ")).isFalse();
        assertThat(LowerNames.sameLower("[", "{")).as("only A-Z fold").isFalse();
    }

    @Test
    void aNonAsciiNameInTheSlotOfAnAsciiOneIsNotTakenForIt() {
        // whatever the table holds, a name that differs from an entry only by a non-ASCII letter
        // that equalsIgnoreCase would match comes back as its own lower-case form
        for (int i = 0; i < 2000; i++) {
            String ascii = "x-h" + i + "-i";
            LowerNames.lower(ascii);
            String other = "x-h" + i + "-\u0131";
            assertThat(LowerNames.lower(other)).isEqualTo(other.toLowerCase(Locale.ROOT));
            assertThat(LowerNames.lower(ascii.toUpperCase(Locale.ROOT))).isEqualTo(ascii);
        }
    }
}
