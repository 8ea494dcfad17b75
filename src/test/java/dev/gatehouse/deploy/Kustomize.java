package dev.gatehouse.deploy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Patch;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.SecretArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the features Gatehouse's
 * base and overlays use (and fails on any other): {@code resources} (files and directories with
 * their own kustomization), {@code patches} by {@code path} (strategic merge, matched by kind and
 * name), {@code secretGenerator} from {@code envs} and {@code files}, and {@code namespace}.
 *
 * <p>Generated Secrets take their keys and values from the committed {@code <env file>.example}
 * (the real env file is git-ignored and exists only on an operator's machine); a {@code files}
 * entry becomes a key named after the file, with a placeholder value. Names get no hash suffix.
 */
final class Kustomize {
    /** The kustomization fields this renderer implements. */
    static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "patches", "secretGenerator");
    static final Set<String> SUPPORTED_PATCH = Set.of("path");
    static final Set<String> SUPPORTED_SECRET_GENERATOR = Set.of("name", "envs", "files");
    /** Kinds the namespace transformer leaves alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "PersistentVolume", "StorageClass", "CustomResourceDefinition", "PriorityClass");

    private Kustomize() {
    }

    /** The file of a kustomization directory. */
    static Path file(Path dir) {
        return dir.resolve("kustomization.yaml");
    }

    /** The kustomization of a directory, with only the fields this renderer implements. */
    static Kustomization read(Path dir) {
        ObjectNode tree = Manifests.readOne(file(dir));
        List<String> unsupported = new ArrayList<>();
        tree.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED.contains(f)) {
                unsupported.add(f);
            }
        });
        tree.path("patches").forEach(p -> p.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED_PATCH.contains(f)) {
                unsupported.add("patches[]." + f);
            }
        }));
        tree.path("secretGenerator").forEach(g -> g.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED_SECRET_GENERATOR.contains(f)) {
                unsupported.add("secretGenerator[]." + f);
            }
        }));
        if (!unsupported.isEmpty()) {
            throw new AssertionError(file(dir) + " uses " + unsupported + ", which the test renderer does not implement "
                    + "(it would ignore them and check something else than kubectl builds): implement them in " + Kustomize.class.getSimpleName());
        }
        Kustomization k = Manifests.as(tree, Kustomization.class);
        List<String> unknown = Manifests.unknownFields(k);
        if (!unknown.isEmpty()) {
            throw new AssertionError(file(dir) + ": unknown fields " + unknown);
        }
        return k;
    }

    /** Every object the kustomization in {@code dir} builds. */
    static List<ObjectNode> render(Path dir) {
        Kustomization k = read(dir);
        List<ObjectNode> objects = new ArrayList<>();
        for (String resource : list(k.getResources())) {
            Path path = existing(dir, resource, "resources");
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(Manifests.read(path));
            }
        }
        for (SecretArgs generator : list(k.getSecretGenerator())) {
            objects.add(secret(dir, generator));
        }
        for (Patch patch : list(k.getPatches())) {
            Path path = existing(dir, patch.getPath(), "patches");
            for (ObjectNode doc : Manifests.read(path)) {
                target(objects, doc, path).ifPresentOrElse(t -> StrategicMerge.apply(t, doc), () -> {
                    throw new AssertionError(path + " patches " + id(doc) + ", which the kustomization does not have");
                });
            }
        }
        if (k.getNamespace() != null) {
            for (ObjectNode o : objects) {
                if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
                    ((ObjectNode) o.get("metadata")).put("namespace", k.getNamespace());
                }
            }
        }
        return objects;
    }

    /** The files a generator reads that are committed: each env file's {@code .example}. */
    static Path example(Path dir, String envFile) {
        return dir.resolve(envFile + ".example");
    }

    private static ObjectNode secret(Path dir, SecretArgs generator) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String env : list(generator.getEnvs())) {
            Path example = example(dir, env);
            if (!Files.isRegularFile(example)) {
                throw new AssertionError(file(dir) + " generates Secret " + generator.getName() + " from " + env
                        + ", which is git-ignored: commit " + example + " listing its keys");
            }
            data.putAll(envFile(example));
        }
        for (String f : list(generator.getFiles())) {
            data.put(Path.of(f).getFileName().toString(), "placeholder");
        }
        ObjectNode secret = JsonNodeFactory.instance.objectNode();
        secret.put("apiVersion", "v1").put("kind", "Secret");
        secret.putObject("metadata").put("name", generator.getName());
        secret.put("type", "Opaque");
        ObjectNode encoded = secret.putObject("data");
        data.forEach((key, value) -> encoded.put(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return secret;
    }

    /** KEY=value lines; blank lines and {@code #} comments skipped, as kustomize reads env files. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new AssertionError(file + ": not KEY=value: " + line);
                }
                values.put(l.substring(0, eq), l.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static java.util.Optional<ObjectNode> target(List<ObjectNode> objects, ObjectNode patch, Path file) {
        String kind = patch.path("kind").asText(null);
        String name = patch.path("metadata").path("name").asText(null);
        if (kind == null || name == null) {
            throw new AssertionError(file + ": a strategic merge patch needs kind and metadata.name");
        }
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                && name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    static String id(ObjectNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
    }

    private static Path existing(Path dir, String entry, String field) {
        Path path = dir.resolve(entry).normalize();
        if (!Files.exists(path)) {
            throw new AssertionError(file(dir) + " " + field + ": " + entry + " does not exist (" + path + ")");
        }
        if (Files.isDirectory(path) && !Files.isRegularFile(file(path))) {
            throw new AssertionError(file(dir) + " " + field + ": " + entry + " is a directory without kustomization.yaml");
        }
        return path;
    }

    private static <T> List<T> list(List<T> maybe) {
        return maybe == null ? List.of() : maybe;
    }
}
