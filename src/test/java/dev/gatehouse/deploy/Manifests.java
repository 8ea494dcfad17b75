package dev.gatehouse.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes YAML (several documents per file) into Jackson trees, and trees into the fabric8
 * Kubernetes model; finds fields the model does not know (a typo such as {@code readOnlyRootFileSystem}
 * lands in a model object's {@code additionalProperties} instead of failing).
 */
final class Manifests {
    static final Path DEPLOY = Path.of("deploy");
    static final Path KUBERNETES = DEPLOY.resolve("kubernetes");

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MODEL = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Manifests() {
    }

    static ObjectMapper yaml() {
        return YAML;
    }

    /** Every non-empty document of a YAML file, as objects. */
    static List<ObjectNode> read(Path file) {
        List<ObjectNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!(doc instanceof ObjectNode object)) {
                    throw new AssertionError(file + ": a document that is not a mapping");
                }
                docs.add(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** The single document of a YAML file. */
    static ObjectNode readOne(Path file) {
        List<ObjectNode> docs = read(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + " has " + docs.size() + " documents, expected one");
        }
        return docs.get(0);
    }

    /** A tree as a fabric8 model object. */
    static <T> T as(JsonNode tree, Class<T> type) {
        try {
            return MODEL.treeToValue(tree, type);
        } catch (IOException e) {
            throw new AssertionError("does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The paths of fields that landed in some model object's {@code additionalProperties}: fields
     * the Kubernetes model does not have, at any depth.
     */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object node, String path, List<String> found, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(value, path + "." + field, found, seen);
        }
    }
}
