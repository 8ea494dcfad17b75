package dev.gatehouse.gateway;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One pass over a request's header fields, for {@link RequestValidator}: how often the fields that
 * must appear at most once appear ({@code Host}, {@code Content-Length}, {@code Transfer-Encoding},
 * {@code Authorization}), the first {@code Transfer-Encoding} value, and the first malformed field: a
 * name that is not an RFC 9110 token, or a value with a control character other than HTAB (RFC 9110
 * section 5.5).
 *
 * <p>Why the field syntax is checked here at all: Netty's HTTP/1 decoder refuses most such values
 * already (unless Vert.x's header validation is switched off), but HTTP/2 hands them over as sent,
 * and the forwarder's HTTP/1 client then refused to write them: a 500 instead of a 400.
 *
 * <p>One walk instead of four {@code getAll} look-ups (each a list) and a fifth walk for the field
 * syntax; characters are classified by table. Names compare case-insensitively, as {@code getAll}
 * does. An {@code Authorization} value equal to one that passed these checks before on the same
 * connection (the bearer token a keep-alive client repeats) is not scanned again: the equality test
 * is vectorised, the scan is not.
 */
final class HeaderCensus {
    static final String BAD_NAME = "header name is not an RFC 9110 token";
    static final String BAD_VALUE = "control character in a header value";

    /** RFC 9110 tchar: ALPHA DIGIT and !#$%&'*+-.^_`|~ (ASCII only). */
    private static final boolean[] TCHAR = new boolean[128];
    /** Control characters but HTAB, and DEL: never in a field value. */
    private static final boolean[] CTL = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0; c < 0x20; c++) {
            CTL[c] = c != '\t';
        }
        CTL[0x7f] = true;
    }

    int hosts;
    int contentLengths;
    int transferEncodings;
    int authorizations;
    /** The first Transfer-Encoding value, or null. */
    CharSequence transferEncoding;
    /** {@link #BAD_NAME} or {@link #BAD_VALUE} for the first malformed field, else null. */
    String badField;

    /** An Authorization value known to be free of control characters, or null. */
    private final String checkedAuthorization;

    private HeaderCensus(String checkedAuthorization) {
        this.checkedAuthorization = checkedAuthorization;
    }

    static HeaderCensus of(MultiMap headers) {
        return of(headers, null);
    }

    /**
     * @param checkedAuthorization an {@code Authorization} value that passed these checks before
     *                             (on this connection), or null
     */
    static HeaderCensus of(MultiMap headers, String checkedAuthorization) {
        HeaderCensus census = new HeaderCensus(checkedAuthorization);
        if (headers instanceof io.netty.handler.codec.http.HttpHeaders netty) {
            // Vert.x's HTTP/1 header map: walked as it is stored, without a String copy per entry
            Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence();
            while (it.hasNext()) {
                Map.Entry<CharSequence, CharSequence> e = it.next();
                census.field(e.getKey(), e.getValue());
            }
        } else {
            for (Map.Entry<String, String> e : headers) {
                census.field(e.getKey(), e.getValue());
            }
        }
        return census;
    }

    private void field(CharSequence name, CharSequence value) {
        switch (name.length()) {
            case 4 -> hosts += is(name, "host");
            case 13 -> {
                if (is(name, "authorization") == 1) {
                    authorizations++;
                    if (badField == null && checkedAuthorization != null && checkedAuthorization.contentEquals(value)) {
                        return; // the name is a token, the value passed before
                    }
                }
            }
            case 14 -> contentLengths += is(name, "content-length");
            case 17 -> {
                if (is(name, "transfer-encoding") == 1 && transferEncodings++ == 0) {
                    transferEncoding = value;
                }
            }
            default -> {
            }
        }
        if (badField == null) {
            // Netty accepts a line such as ": value" as a header with an empty name, and Gatehouse
            // forwarded it upstream, where another parser may read it differently (found by the
            // hostile-input suite)
            badField = !isToken(name) ? BAD_NAME : hasControl(value) ? BAD_VALUE : null;
        }
    }

    private static int is(CharSequence name, String lower) {
        return AsciiString.contentEqualsIgnoreCase(name, lower) ? 1 : 0;
    }

    /** RFC 9110 token: one or more of ALPHA DIGIT and !#$%&'*+-.^_`|~ */
    static boolean isToken(CharSequence name) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(CharSequence value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 128 && CTL[c]) {
                return true;
            }
        }
        return false;
    }
}
