package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The references between the rendered objects of each overlay, and between them and the app:
 * selectors select the pods, named ports exist, probes and the scrape path are the paths the app
 * serves on its management port ({@link AppProperties}), mounts have volumes, and referenced
 * ConfigMaps, Secrets, their keys and claims exist.
 */
class ManifestReferencesTest {
    static final List<String> OVERLAYS = Overlay.NAMES;

    private static Map<String, String> podLabels(Overlay o) {
        return o.deployment().getSpec().getTemplate().getMetadata().getLabels();
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void selectorsSelectTheGatehousePods(String name) {
        Overlay o = Overlay.render(name);
        Deployment d = o.deployment();
        Map<String, String> pods = podLabels(o);
        assertThat(selects(d.getSpec().getSelector().getMatchLabels(), pods)).as("Deployment selector").isTrue();
        assertThat(selects(o.service().getSpec().getSelector(), pods)).as("Service selector").isTrue();
        PodDisruptionBudget pdb = o.one("PodDisruptionBudget", PodDisruptionBudget.class);
        assertThat(selects(pdb.getSpec().getSelector().getMatchLabels(), pods)).as("PodDisruptionBudget selector").isTrue();
        NetworkPolicy np = o.one("NetworkPolicy", NetworkPolicy.class);
        assertThat(selects(np.getSpec().getPodSelector().getMatchLabels(), pods)).as("NetworkPolicy podSelector").isTrue();
        Map<String, String> monitorSelector = jsonMap(o.one("ServiceMonitor").path("spec").path("selector").path("matchLabels"));
        assertThat(selects(monitorSelector, o.service().getMetadata().getLabels())).as("ServiceMonitor selects the Service").isTrue();
        o.maybe("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class).ifPresent(hpa -> {
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(d.getMetadata().getName());
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void containerPortsAreTheAppsPorts(String name) {
        AppProperties app = AppProperties.load();
        Map<String, Integer> ports = containerPorts(Overlay.render(name).container());
        assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("http", app.httpPort(), "management", app.managementPort()));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyNamedPortExists(String name) {
        Overlay o = Overlay.render(name);
        Set<String> onContainer = containerPorts(o.container()).keySet();
        Service service = o.service();
        for (ServicePort p : service.getSpec().getPorts()) {
            assertThat(p.getTargetPort().getStrVal()).as("Service port %s targets a container port by name", p.getName())
                    .isNotNull().isIn(onContainer);
            assertThat(p.getName()).as("the Service port has the container port's name").isEqualTo(p.getTargetPort().getStrVal());
        }
        Set<String> onService = service.getSpec().getPorts().stream().map(ServicePort::getName).collect(Collectors.toSet());
        for (JsonNode endpoint : o.one("ServiceMonitor").path("spec").path("endpoints")) {
            assertThat(endpoint.path("port").asText()).as("ServiceMonitor endpoint port").isIn(onService);
        }
        NetworkPolicy np = o.one("NetworkPolicy", NetworkPolicy.class);
        np.getSpec().getIngress().forEach(rule -> rule.getPorts().forEach(p ->
                assertThat(p.getPort().getStrVal()).as("NetworkPolicy port by container port name").isIn(onContainer)));
        for (Probe probe : probes(o.container()).values()) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).as("probe port by name").isIn(onContainer);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void probesAskTheHealthChecksOfTheManagementPort(String name) {
        AppProperties app = AppProperties.load();
        Container c = Overlay.render(name).container();
        Map<String, Integer> ports = containerPorts(c);
        Map<String, Probe> probes = probes(c);
        assertThat(probes).containsOnlyKeys("startup", "liveness", "readiness");
        assertThat(probes.get("startup").getHttpGet().getPath()).isEqualTo(app.startupPath());
        assertThat(probes.get("liveness").getHttpGet().getPath()).isEqualTo(app.livenessPath());
        assertThat(probes.get("readiness").getHttpGet().getPath()).isEqualTo(app.readinessPath());
        probes.forEach((kind, probe) -> assertThat(ports.get(probe.getHttpGet().getPort().getStrVal()))
                .as("%s probe port", kind).isEqualTo(app.managementPort()));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void prometheusScrapesTheMetricsPathOfTheManagementPort(String name) {
        AppProperties app = AppProperties.load();
        Overlay o = Overlay.render(name);
        Map<String, Integer> servicePorts = o.service().getSpec().getPorts().stream()
                .collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort));
        JsonNode endpoints = o.one("ServiceMonitor").path("spec").path("endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).path("path").asText()).isEqualTo(app.metricsPath());
        String port = endpoints.get(0).path("port").asText();
        assertThat(containerPorts(o.container()).get(port)).isEqualTo(app.managementPort());
        assertThat(servicePorts).containsKey(port);
    }

    /** Users reach the data port from anywhere; health and metrics only from the monitoring namespace. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theNetworkPolicyOpensTheManagementPortToMonitoringOnly(String name) {
        NetworkPolicy np = Overlay.render(name).one("NetworkPolicy", NetworkPolicy.class);
        assertThat(np.getSpec().getPolicyTypes()).contains("Ingress");
        Map<String, List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer>> fromByPort = new java.util.HashMap<>();
        np.getSpec().getIngress().forEach(rule -> {
            for (NetworkPolicyPort p : rule.getPorts()) {
                fromByPort.put(p.getPort().getStrVal(), rule.getFrom() == null ? List.of() : rule.getFrom());
            }
        });
        assertThat(fromByPort).containsOnlyKeys("http", "management");
        assertThat(fromByPort.get("http")).as("the data port admits anyone").isEmpty();
        assertThat(fromByPort.get("management")).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector()).isNull();
            assertThat(peer.getIpBlock()).isNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring");
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyMountHasAVolumeAndEveryVolumeASource(String name) {
        Overlay o = Overlay.render(name);
        Map<String, Volume> volumes = o.pod().getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        Set<String> mounted = o.container().getVolumeMounts().stream().map(VolumeMount::getName).collect(Collectors.toSet());
        assertThat(volumes.keySet()).as("every mount has a volume, every volume is mounted").isEqualTo(mounted);
        for (Volume v : volumes.values()) {
            if (v.getConfigMap() != null) {
                assertThat(o.configMap(v.getConfigMap().getName())).as("ConfigMap of volume %s", v.getName()).isPresent();
            }
            if (v.getSecret() != null) {
                assertThat(o.secret(v.getSecret().getSecretName())).as("Secret of volume %s", v.getName()).isPresent();
            }
            if (v.getPersistentVolumeClaim() != null) {
                assertThat(o.named("PersistentVolumeClaim", v.getPersistentVolumeClaim().getClaimName()))
                        .as("claim of volume %s", v.getName()).isPresent();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everySecretKeyTheEnvironmentReadsExists(String name) {
        Overlay o = Overlay.render(name);
        List<String> missing = new ArrayList<>();
        for (EnvVar e : o.container().getEnv()) {
            if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
                continue;
            }
            var ref = e.getValueFrom().getSecretKeyRef();
            Secret secret = o.secret(ref.getName()).orElse(null);
            if (secret == null) {
                missing.add(e.getName() + ": no Secret " + ref.getName());
            } else if (secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
                missing.add(e.getName() + ": Secret " + ref.getName() + " (its secrets.env.example) has no key " + ref.getKey());
            }
        }
        assertThat(missing).isEmpty();
        assertThat(o.container().getEnvFrom()).as("every variable named, none imported wholesale").isNullOrEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theConfigFileIsTheMountedConfigMapAndTheDemoIsOff(String name) {
        Overlay o = Overlay.render(name);
        String config = o.env("GATEHOUSE_CONFIG").map(EnvVar::getValue).orElseThrow();
        VolumeMount mount = mountHolding(o.container(), config);
        Volume volume = o.pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getConfigMap()).as("%s is on a ConfigMap volume", config).isNotNull();
        assertThat(mount.getReadOnly()).isTrue();
        String key = config.substring(mount.getMountPath().length() + 1);
        assertThat(o.configMap(volume.getConfigMap().getName()).orElseThrow().getData()).containsKey(key);

        ObjectNode deployment = o.one("Deployment");
        assertThat(deployment.toString().toLowerCase()).as("the demo never runs in a deployment")
                .doesNotContain("gatehouse.demo").doesNotContain("gatehouse_demo");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theDataDirAndTmpAreWritableVolumes(String name) {
        Overlay o = Overlay.render(name);
        String dataDir = o.env("GATEHOUSE_DATA_DIR").map(EnvVar::getValue).orElseThrow();
        for (String dir : List.of(dataDir, "/tmp")) {
            VolumeMount mount = mountHolding(o.container(), dir);
            assertThat(mount.getReadOnly()).as("%s is writable", dir).isNotEqualTo(Boolean.TRUE);
        }
    }

    /** The mount whose path holds {@code file} (the longest such). */
    static VolumeMount mountHolding(Container c, String file) {
        return c.getVolumeMounts().stream()
                .filter(m -> file.equals(m.getMountPath()) || file.startsWith(m.getMountPath() + "/"))
                .max(java.util.Comparator.comparingInt(m -> m.getMountPath().length()))
                .orElseThrow(() -> new AssertionError(file + " is on no volume (the root filesystem is read-only)"));
    }

    static Map<String, Integer> containerPorts(Container c) {
        return c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    }

    static Map<String, Probe> probes(Container c) {
        Map<String, Probe> probes = new java.util.LinkedHashMap<>();
        if (c.getStartupProbe() != null) {
            probes.put("startup", c.getStartupProbe());
        }
        if (c.getLivenessProbe() != null) {
            probes.put("liveness", c.getLivenessProbe());
        }
        if (c.getReadinessProbe() != null) {
            probes.put("readiness", c.getReadinessProbe());
        }
        return probes;
    }

    private static Map<String, String> jsonMap(JsonNode node) {
        Map<String, String> map = new java.util.HashMap<>();
        node.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
        return map;
    }
}
