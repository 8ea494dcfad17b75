package dev.gatehouse.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/**
 * JSON as the admin API reads and stores it. Reading is strict and bounded: duplicate keys are
 * an error (never "last wins"), nesting deeper than {@link #MAX_DEPTH} and strings longer than the
 * body limit are refused before any tree is built. Documents are stored in one canonical form
 * (keys sorted), so equal content has an equal hash whatever order the client sent.
 */
final class Json {
    /** Deep enough for any real policy (and/or/not nest a few levels), far below a stack overflow. */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(1_000_000).maxNumberLength(100).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // numbers as the YAML loader gives them (Integer/Long/BigInteger, Double), never BigDecimal
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {
    }

    /** A JSON text that could not be read; the message says why, without echoing the input. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /** Parses {@code bytes} into a tree of Map, List, String, Number, Boolean (as the YAML loader gives). */
    static Object parse(byte[] bytes) throws Malformed {
        try {
            return READER.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            throw new Malformed("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Malformed("not valid JSON: " + e.getMessage());
        }
    }

    /** Parses a document this API stored (canonical JSON). */
    static Object parseStored(String text) {
        try {
            return READER.readValue(text, Object.class);
        } catch (IOException e) {
            throw new IllegalStateException("a stored document is not valid JSON", e);
        }
    }

    /** The canonical text of a tree: keys sorted at every level, no whitespace. */
    static String canonical(Object tree) {
        try {
            return CANONICAL.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
