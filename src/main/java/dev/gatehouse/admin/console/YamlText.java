package dev.gatehouse.admin.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gatehouse.config.ConfigLoader;

/**
 * YAML as the console shows and reads it: parts of an app document (its policy, its other
 * settings) in the config file's syntax. Reading uses the config loader's own mapper (duplicate
 * keys refused, bounded), so a policy typed here is read as the file's would be. Written YAML
 * has its keys sorted.
 */
final class YamlText {
    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build())
            // keys in one order, so two versions shown side by side line up
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper READER = ConfigLoader.yamlMapper();

    private YamlText() {
    }

    /** YAML that cannot be read; the message says where, without a stack trace. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The YAML text of a tree ("" for null). */
    static String write(Object tree) {
        if (tree == null) {
            return "";
        }
        try {
            return WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tree of a YAML text; null for blank text. */
    static Object read(String text) throws Unreadable {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return READER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new Unreadable("not valid YAML" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new Unreadable("not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n", 2)[0];
    }
}
