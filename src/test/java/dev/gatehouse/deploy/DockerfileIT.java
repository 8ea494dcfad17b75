package dev.gatehouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code src/main/docker/Dockerfile.jvm} without a Docker engine, after {@code package} (an
 * integration test, so that {@code target/quarkus-app} exists): what it copies exists and is not
 * kept out by {@code .dockerignore}, the jar it runs is among it, it runs as a non-root user, and
 * it exposes exactly the app's data and management ports ({@link AppProperties}).
 */
class DockerfileIT {
    static final Path FILE = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path CONTEXT = Path.of(".");

    private final List<Dockerfile.Instruction> instructions = Dockerfile.read(FILE);

    @Test
    void itBuildsOnTheUbiOpenJdk17Runtime() {
        List<Dockerfile.Instruction> from = Dockerfile.all(instructions, "FROM");
        assertThat(from).hasSize(1);
        assertThat(from.get(0).arguments()).startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:");
        assertThat(instructions.get(instructions.size() - 1).keyword()).isEqualTo("ENTRYPOINT");
    }

    @Test
    void everythingItCopiesExistsAfterPackageAndReachesTheBuild() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(CONTEXT.resolve(".dockerignore"));
        List<Dockerfile.Instruction> copies = Dockerfile.all(instructions, "COPY");
        assertThat(copies).hasSize(4);
        for (Dockerfile.Instruction copy : copies) {
            assertThat(copy.arguments()).as("files owned by the runtime user").contains("--chown=185");
            List<String> words = copy.words();
            String source = words.get(0);
            List<Path> matched = expand(source);
            assertThat(matched).as("COPY %s: exists after ./mvnw package", source).isNotEmpty();
            for (Path m : matched) {
                for (Path file : filesUnder(m)) {
                    assertThat(ignore.sends(file.normalize()))
                            .as(".dockerignore lets %s into the build context", file).isTrue();
                }
            }
        }
    }

    @Test
    void theJarItRunsIsCopied() {
        String jar = env("JAVA_APP_JAR");
        assertThat(jar).isEqualTo("/deployments/quarkus-run.jar");
        boolean copied = Dockerfile.all(instructions, "COPY").stream().anyMatch(c -> {
            List<String> w = c.words();
            return w.get(w.size() - 1).equals("/deployments/")
                    && expand(w.get(0)).stream().anyMatch(p -> p.getFileName().toString().equals("quarkus-run.jar"));
        });
        assertThat(copied).as("%s is among the copied files", jar).isTrue();
    }

    @Test
    void itRunsAsANonRootUser() {
        List<Dockerfile.Instruction> users = Dockerfile.all(instructions, "USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).arguments();
        assertThat(user).as("a numeric uid, so that runAsNonRoot can verify it").matches("[0-9]+(:[0-9]+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo((int) PodSecurityTest.IMAGE_UID);
    }

    @Test
    void itExposesTheAppsPorts() {
        AppProperties app = AppProperties.load();
        Set<Integer> exposed = new TreeSet<>();
        Dockerfile.all(instructions, "EXPOSE").forEach(e -> e.words().forEach(w -> exposed.add(Integer.parseInt(w.split("/")[0]))));
        assertThat(exposed).containsExactlyInAnyOrder(app.httpPort(), app.managementPort());
        assertThat(env("JAVA_OPTS_APPEND")).as("never the demo").doesNotContain("gatehouse.demo");
    }

    @Test
    void theJvmOptionsForTheLatencyTailStayAndChooseNoCollector() {
        String opts = env("JAVA_OPTS_APPEND");
        // BENCHMARKS.md, "Issue 13, round five": a fixed young generation and no metaspace-threshold full GCs
        assertThat(opts).contains("-Xmn128m").contains("-XX:MetaspaceSize=128m");
        // run-java.sh already passes -XX:+UseParallelGC (GC_CONTAINER_OPTIONS): a second collector
        // named here would make the JVM refuse to start ("multiple garbage collectors selected")
        assertThat(opts).doesNotContainPattern("-XX:\\+Use\\w+GC");
    }

    private String env(String name) {
        for (Dockerfile.Instruction i : Dockerfile.all(instructions, "ENV")) {
            String a = i.arguments();
            if (a.startsWith(name + "=")) {
                String value = a.substring(name.length() + 1);
                return value.startsWith("\"") ? value.substring(1, value.lastIndexOf('"')) : value;
            }
        }
        throw new AssertionError("Dockerfile.jvm sets no " + name);
    }

    /** A COPY source relative to the context: a directory, a file, or a glob in its last segment. */
    private static List<Path> expand(String source) {
        Path path = CONTEXT.resolve(source.endsWith("/") ? source.substring(0, source.length() - 1) : source).normalize();
        String last = path.getFileName().toString();
        if (!last.contains("*")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        List<Path> matched = new ArrayList<>();
        if (Files.isDirectory(path.getParent())) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent(), last)) {
                ds.forEach(matched::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return matched;
    }

    private static List<Path> filesUnder(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }
}
