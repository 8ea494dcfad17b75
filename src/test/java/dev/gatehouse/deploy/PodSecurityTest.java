package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The pod of each overlay runs as the Pod Security Standard "restricted" asks: not root (a fixed
 * uid, the one the image's USER names), no privilege escalation, no capabilities, seccomp
 * RuntimeDefault, a read-only root filesystem, no Kubernetes API token; and with resource
 * requests and limits that fit each other.
 */
class PodSecurityTest {
    static final List<String> OVERLAYS = Overlay.NAMES;
    /** The runtime user of the UBI OpenJDK images, which Dockerfile.jvm's USER names too. */
    static final long IMAGE_UID = 185;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodRunsAsTheImagesNonRootUser(String name) {
        Overlay o = Overlay.render(name);
        PodSecurityContext pod = o.pod().getSecurityContext();
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(IMAGE_UID);
        assertThat(pod.getRunAsGroup()).isNotNull().isNotZero();
        assertThat(pod.getFsGroup()).as("volumes writable for the user").isNotNull().isNotZero();
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        SecurityContext c = o.container().getSecurityContext();
        assertThat(c.getRunAsNonRoot()).isTrue();
        assertThat(c.getRunAsUser()).isIn(null, IMAGE_UID);
        assertThat(c.getPrivileged()).isIn(null, false);
        assertThat(c.getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getCapabilities().getAdd()).isNullOrEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodNeitherUsesTheHostNorTheKubernetesApi(String name) {
        PodSpec pod = Overlay.render(name).pod();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getHostNetwork()).isIn(null, false);
        assertThat(pod.getHostPID()).isIn(null, false);
        assertThat(pod.getHostIPC()).isIn(null, false);
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).as(v.getName()).isNull());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void requestsAndLimitsAreSetAndFit(String name) {
        Container c = Overlay.render(name).container();
        Map<String, Quantity> requests = c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        for (String resource : List.of("cpu", "memory")) {
            assertThat(requests.get(resource).getNumericalAmount()).as("%s request <= limit", resource)
                    .isLessThanOrEqualTo(limits.get(resource).getNumericalAmount());
        }
    }
}
