package dev.gatehouse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;

/**
 * The apps of a config file as written (each app's YAML tree, by id), which the admin API shows
 * for file apps. Kept as compact JSON text, one string per app, and parsed again when asked for:
 * the trees as the YAML parser builds them (about ten {@code LinkedHashMap}s with their tables and
 * entries per app) held about 25 MB of heap at 10,000 apps for the life of the process, the text
 * about a fifth of that. Only the admin API reads them, seldom. Each read is a fresh tree, so a
 * caller that changes what it got cannot change what the next caller gets.
 */
public final class AppDocuments {
    /** No documents (before the first load; a config without apps). */
    public static final AppDocuments NONE = new AppDocuments(Map.of());

    /** Plain JSON; it reads back every value the YAML mapper gives (Map, List, String, Number, Boolean, null). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> texts;

    private AppDocuments(Map<String, String> texts) {
        this.texts = texts;
    }

    /** @param trees each app's tree by id, as the YAML mapper read it */
    public static AppDocuments of(Map<String, ?> trees) {
        if (trees.isEmpty()) {
            return NONE;
        }
        Map<String, String> texts = new HashMap<>(trees.size() * 4 / 3 + 1);
        for (Map.Entry<String, ?> e : trees.entrySet()) {
            try {
                texts.put(e.getKey(), JSON.writeValueAsString(e.getValue()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("app " + e.getKey() + " cannot be kept as JSON", ex);
            }
        }
        return new AppDocuments(Map.copyOf(texts));
    }

    /** The document of the app with this id as a new tree (Map, List, String, Number, Boolean), or null. */
    public Object get(String id) {
        String text = texts.get(id);
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the kept document of app " + id + " is not valid JSON", e);
        }
    }

    /** Number of documents. */
    public int size() {
        return texts.size();
    }
}
