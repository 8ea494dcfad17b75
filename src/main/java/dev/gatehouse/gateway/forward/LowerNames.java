package dev.gatehouse.gateway.forward;

import io.netty.util.AsciiString;
import java.util.Locale;

/**
 * Lower-case forms of header names, for names given as any {@link CharSequence} (a decoder's
 * {@code AsciiString} or a {@code String}), without allocating for a name seen before: headers
 * arrive capitalised ({@code Content-Type}), and every request and every upstream answer carries
 * the same few names.
 *
 * <p>A fixed table indexed by the name's case-insensitive hash holds the lower-case form last
 * seen in each slot; a hit is a case-insensitive comparison with it. A client inventing names only
 * replaces entries (the table never grows). Only ASCII names are kept, and a hit is decided by
 * folding A-Z only ({@link #sameLower}): not {@code equalsIgnoreCase}, which also matches
 * non-ASCII letters such as the dotless {@code ı} to {@code i} although their lower-case forms
 * differ, so a name that is not ASCII never comes back as an ASCII one.
 * Slots are written without locks by several event loops: a reader sees either an older or a
 * newer complete {@code String} (its fields are final), and checks it before using it.
 */
final class LowerNames {
    private static final int SLOTS = 1024; // a power of two
    private static final String[] TABLE = new String[SLOTS];

    private LowerNames() {
    }

    /** {@code name.toString().toLowerCase(Locale.ROOT)}. */
    static String lower(CharSequence name) {
        int slot = AsciiString.hashCode(name) & (SLOTS - 1);
        String known = TABLE[slot];
        if (known != null && sameLower(known, name)) {
            return known;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        if (isAscii(lower) && lower.length() == name.length()) {
            TABLE[slot] = lower;
        }
        return lower;
    }

    /** Whether {@code name}, with A-Z folded to a-z and nothing else, is {@code lower} (ASCII, lower case). */
    static boolean sameLower(String lower, CharSequence name) {
        int n = lower.length();
        if (name.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
