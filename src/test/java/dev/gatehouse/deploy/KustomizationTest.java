package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The kustomize structure of {@code deploy/kubernetes}: every file a kustomization lists exists,
 * every manifest fits the Kubernetes model (no unknown field), each overlay renders, and where
 * {@code kubectl} is installed the test renderer builds exactly what {@code kubectl kustomize} builds.
 */
class KustomizationTest {
    /** The model class of each built-in kind the manifests use. */
    static final Map<String, Class<?>> MODEL = Map.of(
            "Namespace", Namespace.class,
            "ServiceAccount", ServiceAccount.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "Deployment", Deployment.class,
            "Service", Service.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    /** Custom resources of the Prometheus Operator, checked as trees. */
    static final Map<String, String> CUSTOM = Map.of("ServiceMonitor", "monitoring.coreos.com/v1",
            "PrometheusRule", "monitoring.coreos.com/v1");

    static final List<String> OVERLAYS = Overlay.NAMES;

    private static List<Path> kustomizationDirs() throws IOException {
        try (Stream<Path> files = Files.walk(Manifests.KUBERNETES)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent)
                    .sorted().toList();
        }
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Manifests.KUBERNETES)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
    }

    @Test
    void theBaseAndBothOverlaysExist() throws IOException {
        assertThat(kustomizationDirs()).containsExactlyInAnyOrder(Manifests.KUBERNETES.resolve("base"),
                Manifests.KUBERNETES.resolve("single"), Manifests.KUBERNETES.resolve("ha"));
    }

    @Test
    void everyListedFileExistsAndEveryManifestIsListed() throws IOException {
        List<Path> listed = new ArrayList<>();
        for (Path dir : kustomizationDirs()) {
            Kustomization k = Kustomize.read(dir);
            for (String r : k.getResources()) {
                Path path = dir.resolve(r).normalize();
                assertThat(path).as("%s resources: %s", dir, r).exists();
                listed.add(path);
            }
            if (k.getPatches() != null) {
                k.getPatches().forEach(p -> {
                    Path path = dir.resolve(p.getPath()).normalize();
                    assertThat(path).as("%s patches: %s", dir, p.getPath()).isRegularFile();
                    listed.add(path);
                });
            }
        }
        assertThat(manifestFiles()).as("a manifest no kustomization lists is never applied").isSubsetOf(listed);
    }

    @Test
    void everyManifestFitsTheKubernetesModel() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : manifestFiles()) {
            for (ObjectNode doc : Manifests.read(file)) {
                String kind = doc.path("kind").asText();
                if (CUSTOM.containsKey(kind)) {
                    assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isEqualTo(CUSTOM.get(kind));
                    continue;
                }
                Class<?> type = MODEL.get(kind);
                if (type == null) {
                    problems.add(file + ": kind '" + kind + "' is not known to this test (add its model class to MODEL)");
                    continue;
                }
                Manifests.unknownFields(Manifests.as(doc, type)).forEach(f -> problems.add(file + ": unknown field " + kind + f));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noSecretValueIsCommitted() throws IOException {
        for (Path file : manifestFiles()) {
            for (ObjectNode doc : Manifests.read(file)) {
                assertThat(doc.path("kind").asText()).as("%s: Secrets are generated from git-ignored files", file)
                        .isNotEqualTo("Secret");
            }
        }
        List<String> ignored = Files.readAllLines(Path.of(".gitignore"));
        for (Path dir : kustomizationDirs()) {
            Kustomization k = Kustomize.read(dir);
            if (k.getSecretGenerator() == null) {
                continue;
            }
            k.getSecretGenerator().forEach(g -> {
                List<String> sources = new ArrayList<>();
                if (g.getEnvs() != null) {
                    sources.addAll(g.getEnvs());
                    g.getEnvs().forEach(e -> assertThat(Kustomize.example(dir, e)).as("the keys of %s are documented", e).isRegularFile());
                }
                if (g.getFiles() != null) {
                    sources.addAll(g.getFiles());
                }
                for (String source : sources) {
                    String pattern = "deploy/kubernetes/*/" + source;
                    assertThat(ignored).as("%s of %s is git-ignored", source, dir).contains(pattern);
                }
            });
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theOverlayRendersOneOfEachObject(String name) {
        Overlay overlay = Overlay.render(name);
        List<String> ids = overlay.objects.stream().map(o -> Kustomize.id(o)).toList();
        assertThat(ids).doesNotHaveDuplicates();
        for (String kind : List.of("Namespace", "ServiceAccount", "ConfigMap", "Deployment", "Service",
                "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PrometheusRule")) {
            assertThat(overlay.all(kind)).as("%s renders a %s", name, kind).hasSize(1);
        }
        overlay.objects.stream().filter(o -> !o.path("kind").asText().equals("Namespace")).forEach(o ->
                assertThat(o.path("metadata").path("namespace").asText()).as("%s namespace", Kustomize.id(o))
                        .isEqualTo(overlay.one("Namespace").path("metadata").path("name").asText()));
    }

    /**
     * The renderer above is this test's own; kubectl's kustomize is the real one. Both build each
     * overlay (kubectl from a copy with the example secret files in place) and must agree on every
     * object, up to the hash suffix kustomize gives generated names, the generated values, and the
     * order of named list items.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theRendererBuildsWhatKubectlKustomizeBuilds(String name, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed, so the renderer is not compared with "
                + "kubectl kustomize here (the structural checks still ran)");
        Path copy = tmp.resolve("deploy");
        copyTree(Manifests.DEPLOY, copy);
        Path overlayDir = copy.resolve("kubernetes").resolve(name);
        Kustomization k = Kustomize.read(Manifests.KUBERNETES.resolve(name));
        if (k.getSecretGenerator() != null) {
            for (var g : k.getSecretGenerator()) {
                if (g.getEnvs() != null) {
                    for (String env : g.getEnvs()) {
                        Files.copy(Kustomize.example(overlayDir, env), overlayDir.resolve(env));
                    }
                }
                if (g.getFiles() != null) {
                    for (String f : g.getFiles()) {
                        Files.writeString(overlayDir.resolve(f), "placeholder");
                    }
                }
            }
        }
        Process p = new ProcessBuilder("kubectl", "kustomize", overlayDir.toString()).redirectError(tmp.resolve("err").toFile())
                .redirectOutput(tmp.resolve("out.yaml").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize: %s", Files.readString(tmp.resolve("err"))).isZero();

        Overlay ours = Overlay.render(name);
        String built = Files.readString(tmp.resolve("out.yaml"));
        for (ObjectNode secret : ours.all("Secret")) {
            String generated = secret.path("metadata").path("name").asText();
            built = built.replaceAll("\\b" + java.util.regex.Pattern.quote(generated) + "-[a-z0-9]{10}\\b", generated);
        }
        Files.writeString(tmp.resolve("normalised.yaml"), built);
        Map<String, JsonNode> theirs = byId(Manifests.read(tmp.resolve("normalised.yaml")));
        Map<String, JsonNode> mine = byId(ours.objects);
        assertThat(mine.keySet()).isEqualTo(theirs.keySet());
        for (String id : mine.keySet()) {
            JsonNode a = normalise(mine.get(id).deepCopy());
            JsonNode b = normalise(theirs.get(id).deepCopy());
            if (id.startsWith("Secret/")) {
                assertThat(iterable(a.path("data").fieldNames())).as(id + " keys")
                        .containsExactlyInAnyOrderElementsOf(iterable(b.path("data").fieldNames()));
                continue;
            }
            assertThat(a).as(id).isEqualTo(b);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Map<String, JsonNode> byId(List<ObjectNode> objects) {
        Map<String, JsonNode> map = new TreeMap<>();
        objects.forEach(o -> map.put(Kustomize.id(o), o));
        return map;
    }

    /** Sorts lists of named mappings by name, recursively: their order carries no meaning. */
    private static JsonNode normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(f -> object.set(f.getKey(), normalise(f.getValue())));
        } else if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(i -> items.add(normalise(i)));
            if (!items.isEmpty() && items.stream().allMatch(i -> i.isObject() && i.hasNonNull("name"))) {
                items.sort(Comparator.comparing(i -> i.get("name").asText()));
            }
            array.removeAll();
            items.forEach(array::add);
        }
        return node;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("secrets.env") && !f.getFileName().toString().endsWith(".pem")) {
                    Files.copy(f, target);
                }
            }
        }
    }
}
