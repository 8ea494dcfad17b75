package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What makes the two overlays different: {@code single} is one replica with the embedded store on
 * a claim at the data dir; {@code ha} is three (autoscaled) replicas on PostgreSQL from a Secret,
 * sharing one assertion signing key.
 */
class OverlaysTest {
    private static final List<String> STORE = List.of("GATEHOUSE_STORE_URL", "GATEHOUSE_STORE_USERNAME", "GATEHOUSE_STORE_PASSWORD");

    @Test
    void singleIsOneReplicaWithItsDataDirOnAClaim() {
        Overlay o = Overlay.render("single");
        Deployment d = o.deployment();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).as("a ReadWriteOnce claim has one pod at a time").isEqualTo("Recreate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate()).isNull();
        String dataDir = o.env("GATEHOUSE_DATA_DIR").map(EnvVar::getValue).orElseThrow();
        VolumeMount mount = ManifestReferencesTest.mountHolding(o.container(), dataDir);
        Volume volume = volume(o, mount.getName());
        assertThat(volume.getEmptyDir()).isNull();
        PersistentVolumeClaim claim = o.one("PersistentVolumeClaim", PersistentVolumeClaim.class);
        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim.getMetadata().getName());
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(o.all("HorizontalPodAutoscaler")).isEmpty();
        STORE.forEach(v -> assertThat(o.env(v)).as("the embedded store needs no %s", v).isEmpty());
    }

    @Test
    void haIsThreeAutoscaledReplicasOnTheStoreFromASecret() {
        Overlay o = Overlay.render("ha");
        assertThat(o.deployment().getSpec().getReplicas()).isEqualTo(3);
        HorizontalPodAutoscaler hpa = o.one("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(3);
        assertThat(hpa.getSpec().getMetrics()).allSatisfy(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        for (String variable : STORE) {
            EnvVar e = o.env(variable).orElseThrow(() -> new AssertionError("ha sets " + variable));
            assertThat(e.getValue()).as("%s is not written in the manifest", variable).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(variable);
        }
        assertThat(o.all("PersistentVolumeClaim")).isEmpty();
    }

    /** Upstreams verify X-Gatehouse-Assertion against /.gatehouse/jwks.json, which any replica may answer. */
    @Test
    void haReplicasShareOneAssertionKeyFromASecret() {
        Overlay o = Overlay.render("ha");
        String keyFile = o.env("GATEHOUSE_ASSERTION_KEY_FILE").map(EnvVar::getValue).orElseThrow();
        VolumeMount mount = ManifestReferencesTest.mountHolding(o.container(), keyFile);
        assertThat(mount.getReadOnly()).isTrue();
        Volume volume = volume(o, mount.getName());
        String key = keyFile.substring(mount.getMountPath().length() + 1);
        assertThat(o.secret(volume.getSecret().getSecretName()).orElseThrow().getData()).containsKey(key);
        assertThat(volume.getSecret().getDefaultMode()).as("not world-readable").isEqualTo(0440);
    }

    private static Volume volume(Overlay o, String name) {
        return o.pod().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }
}
