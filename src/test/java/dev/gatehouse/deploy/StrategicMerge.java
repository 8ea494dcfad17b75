package dev.gatehouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The part of kustomize's strategic merge patch the overlays use: mappings merge key by key, a
 * {@code null} deletes the key, lists of named mappings ({@code containers}, {@code env},
 * {@code volumes}, {@code volumeMounts}, ...) merge item by {@code name}, any other list is replaced.
 * The overlays' output is compared with {@code kubectl kustomize} where kubectl exists
 * ({@link KustomizationTest}), which keeps this honest.
 */
final class StrategicMerge {
    private StrategicMerge() {
    }

    /** Applies {@code patch} to {@code target} in place. */
    static void apply(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing instanceof ObjectNode object) {
                apply(object, (ObjectNode) value);
            } else if (value.isArray() && existing instanceof ArrayNode list && named(list) && named((ArrayNode) value)) {
                target.set(key, mergeByName(list, (ArrayNode) value));
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    /** Patched and new items first, in the patch's order, then the untouched ones, as kustomize orders them. */
    private static ArrayNode mergeByName(ArrayNode base, ArrayNode patch) {
        ArrayNode merged = base.arrayNode();
        List<String> patched = new ArrayList<>();
        for (JsonNode item : patch) {
            String name = item.get("name").asText();
            patched.add(name);
            ObjectNode result = null;
            for (JsonNode old : base) {
                if (old.get("name").asText().equals(name)) {
                    result = (ObjectNode) old.deepCopy();
                    apply(result, (ObjectNode) item);
                }
            }
            merged.add(result != null ? result : withoutNulls((ObjectNode) item.deepCopy()));
        }
        for (JsonNode old : base) {
            if (!patched.contains(old.get("name").asText())) {
                merged.add(old.deepCopy());
            }
        }
        return merged;
    }

    private static ObjectNode withoutNulls(ObjectNode node) {
        List<String> nulls = new ArrayList<>();
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                nulls.add(f.getKey());
            } else if (f.getValue() instanceof ObjectNode child) {
                withoutNulls(child);
            }
        });
        node.remove(nulls);
        return node;
    }

    private static boolean named(ArrayNode list) {
        if (list.isEmpty()) {
            return false;
        }
        for (JsonNode item : list) {
            if (!item.isObject() || !item.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }
}
