package dev.gatehouse.admin.console;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A submitted console form ({@code application/x-www-form-urlencoded}), decoded by Netty's
 * decoder from a body read with the admin API's bound.
 */
public final class Form {
    /** More fields than any console form has, far below what would cost anything. */
    static final int MAX_FIELDS = 64;

    private final Map<String, List<String>> fields;

    private Form(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    static Form decode(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        // hasPath false: the whole text is the query; ';' is an ordinary character, as browsers send it
        return new Form(new QueryStringDecoder(text, StandardCharsets.UTF_8, false, MAX_FIELDS, true).parameters());
    }

    /** The field's first value, or "" when absent. */
    public String get(String name) {
        List<String> v = fields.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    /** The field's first value trimmed, or null when absent or blank. */
    public String trimmed(String name) {
        String v = get(name).trim();
        return v.isEmpty() ? null : v;
    }
}
