package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The config file the manifests mount is one Gatehouse loads: it passes {@link ConfigLoader} (with
 * its {@code ${ENV}} references set to dummy values), and every variable it references is set in
 * the container's environment, from a Secret, so startup does not stop on an unset variable.
 */
class ConfigMapTest {
    static final java.util.List<String> OVERLAYS = Overlay.NAMES;
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private static String configFile(Overlay o) {
        String path = o.env("GATEHOUSE_CONFIG").map(EnvVar::getValue).orElseThrow();
        VolumeMount mount = ManifestReferencesTest.mountHolding(o.container(), path);
        Volume volume = o.pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        ConfigMap map = o.configMap(volume.getConfigMap().getName()).orElseThrow();
        return map.getData().get(path.substring(mount.getMountPath().length() + 1));
    }

    private static Set<String> references(String yaml) {
        Set<String> names = new TreeSet<>();
        Matcher m = REFERENCE.matcher(yaml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theMountedConfigLoads(String name) {
        String yaml = configFile(Overlay.render(name));
        Map<String, String> dummies = new HashMap<>();
        references(yaml).forEach(v -> dummies.put(v, "dummy-" + v.toLowerCase()));
        GatehouseConfig config = ConfigLoader.withEnvironment(dummies).parse(yaml, "ConfigMap gatehouse.yaml");
        assertThat(config.apps()).isNotEmpty();
        assertThat(config.idps()).isNotEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void secretsAreReferencesSetFromSecrets(String name) {
        Overlay o = Overlay.render(name);
        Set<String> references = references(configFile(o));
        assertThat(references).as("the example config has a secret, referenced as ${ENV}").isNotEmpty();
        Map<String, EnvVar> env = o.container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        for (String variable : references) {
            assertThat(env).as("${%s} is set in the container", variable).containsKey(variable);
            assertThat(env.get(variable).getValueFrom()).as("${%s} comes from a Secret, not the manifest", variable).isNotNull();
            assertThat(env.get(variable).getValueFrom().getSecretKeyRef()).isNotNull();
        }
    }
}
