package dev.gatehouse.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One overlay of {@code deploy/kubernetes} ({@code single}, {@code ha}) rendered by {@link Kustomize},
 * with the objects the tests look at in the fabric8 model. Custom resources (ServiceMonitor,
 * PrometheusRule) stay trees: the model has no classes for them.
 */
final class Overlay {
    /** The overlays an operator applies. */
    static final List<String> NAMES = List.of("single", "ha");

    final String name;
    final Path dir;
    final List<ObjectNode> objects;

    private Overlay(String name) {
        this.name = name;
        this.dir = Manifests.KUBERNETES.resolve(name);
        this.objects = Kustomize.render(dir);
    }

    static Overlay render(String name) {
        return new Overlay(name);
    }

    @Override
    public String toString() {
        return name;
    }

    List<ObjectNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** The one object of a kind (fails when there is none or several). */
    ObjectNode one(String kind) {
        List<ObjectNode> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError(name + " renders " + found.size() + " " + kind + " objects, expected one");
        }
        return found.get(0);
    }

    <T> T one(String kind, Class<T> type) {
        return Manifests.as(one(kind), type);
    }

    <T> Optional<T> maybe(String kind, Class<T> type) {
        List<ObjectNode> found = all(kind);
        return found.isEmpty() ? Optional.empty() : Optional.of(Manifests.as(found.get(0), type));
    }

    Optional<ObjectNode> named(String kind, String objectName) {
        return all(kind).stream().filter(o -> objectName.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    Deployment deployment() {
        return one("Deployment", Deployment.class);
    }

    PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    /** The Gatehouse container (the pod has exactly one). */
    Container container() {
        List<Container> containers = pod().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(name + ": the pod has " + containers.size() + " containers, expected one");
        }
        return containers.get(0);
    }

    Optional<EnvVar> env(String variable) {
        return container().getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst();
    }

    Service service() {
        return one("Service", Service.class);
    }

    Optional<Secret> secret(String secretName) {
        return named("Secret", secretName).map(s -> Manifests.as(s, Secret.class));
    }

    Optional<ConfigMap> configMap(String mapName) {
        return named("ConfigMap", mapName).map(c -> Manifests.as(c, ConfigMap.class));
    }
}
