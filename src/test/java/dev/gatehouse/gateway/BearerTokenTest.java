package dev.gatehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BearerToken#isCompactJws}'s table-driven scan accepts exactly what the character-class
 * loop it replaced accepted: three non-empty base64url segments, nothing else.
 */
class BearerTokenTest {
    /** The definition as it was written before (round six): the reference. */
    private static boolean reference(String t, int start, int end) {
        if (end <= start || end - start > BearerToken.MAX_LENGTH) {
            return false;
        }
        int dots = 0;
        int segment = 0;
        for (int i = start; i < end; i++) {
            char c = t.charAt(i);
            if (c == '.') {
                if (segment == 0) {
                    return false;
                }
                dots++;
                segment = 0;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                segment++;
            } else {
                return false;
            }
        }
        return dots == 2 && segment > 0;
    }

    private static void same(String auth) {
        int start = BearerToken.start(auth);
        int s = start == BearerToken.MALFORMED ? 0 : start;
        int e = BearerToken.end(auth);
        assertEquals(reference(auth, s, e), BearerToken.isCompactJws(auth, s, e), auth);
        // and on every window of a short string, where the dots may fall outside [start, end)
        if (auth.length() <= 12) {
            for (int a = 0; a <= auth.length(); a++) {
                for (int b = a; b <= auth.length(); b++) {
                    assertEquals(reference(auth, a, b), BearerToken.isCompactJws(auth, a, b), auth + " [" + a + "," + b + ")");
                }
            }
        }
    }

    @Test
    void acceptsThreeNonEmptyBase64urlSegments() {
        assertTrue(BearerToken.isCompactJws("Bearer a.b.c", 7, 12));
        assertTrue(BearerToken.isCompactJws("Bearer eyJ-_09.AZaz.x  ", 7, 21));
    }

    @Test
    void refusesEverythingElse() {
        for (String t : new String[] {"a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "a.b.c=", "a.b.c ", "a+b.c.d",
            "a/b.c.d", "a.b.c\u00e9", "a.b.c\u0100", "a.b.c\u0000", "a.b.\uff41", "...", "", "abc"}) {
            assertFalse(BearerToken.isCompactJws(t, 0, t.length()), t);
            same(t);
        }
    }

    @Test
    void agreesWithTheCharacterClassLoopOnRandomHeaders() {
        Random random = new Random(13);
        String alphabet = "ABCxyz019-_.=+/ \t\u00e9\u0100\u007f\u0080";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder("Bearer ");
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) {
                b.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : random.nextInt(8) == 0 ? '.' : (char) ('a' + random.nextInt(26)));
            }
            same(b.toString());
        }
    }
}
