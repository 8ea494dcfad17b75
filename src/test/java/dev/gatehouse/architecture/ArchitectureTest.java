package dev.gatehouse.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The allowed direction of imports between Gatehouse's packages, as the README's design section
 * draws it, checked on the sources: a package may import only the packages listed for it (its
 * sub-packages count as itself). Also: the pure packages import no framework, and Vert.x/Netty
 * implementation classes are used in {@code gateway.vertx} only.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/gatehouse");

    /** Package -> the packages of ours it may import. Lower layers first. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("net", Set.of()),
            // which implementation does the request path's public-key operations
            Map.entry("crypto", Set.of()),
            Map.entry("time", Set.of()),
            Map.entry("policy", Set.of("net", "time")),
            Map.entry("config", Set.of("policy", "net", "time")),
            Map.entry("route", Set.of("config", "policy", "net", "time")),
            Map.entry("access", Set.of("route", "config", "policy", "net", "time")),
            Map.entry("observe", Set.of("access", "config", "policy", "net", "time")),
            // revocations: a pure in-memory set over identities, read on the request path
            Map.entry("revoke", Set.of("policy", "net", "time")),
            Map.entry("identity", Set.of("crypto", "observe", "route", "config", "policy", "net", "time", "revoke")),
            // the store keeps validated app documents: it may read their model, never routes or requests
            Map.entry("store", Set.of("config", "policy", "net", "time", "revoke")),
            Map.entry("demo", Set.of("config", "policy", "net", "time")),
            Map.entry("cli", Set.of("access", "route", "config", "policy", "net", "time")),
            // browser sessions: kept in the store, verified like tokens, decided by the one access check
            Map.entry("session", Set.of("store", "identity", "observe", "access", "route", "config", "policy", "net",
                    "time", "revoke")),
            Map.entry("gateway", Set.of("crypto", "session", "identity", "observe", "access", "route", "config", "policy", "net",
                    "time", "revoke")),
            // the admin API: below the gateway (which hands admin-host requests over, never the other way)
            Map.entry("admin", Set.of("session", "store", "identity", "observe", "access", "route", "config", "policy",
                    "net", "time", "revoke")),
            Map.entry("lifecycle", Set.of("crypto", "session", "admin", "store", "gateway", "identity", "observe", "access", "route",
                    "config", "policy", "net", "time", "demo", "revoke")),
            Map.entry("", Set.of("cli")));

    /** Packages that must stay plain Java: no Quarkus, Vert.x, Netty or Jakarta. */
    static final Set<String> PURE = Set.of("net", "time", "policy", "access", "revoke", "crypto");

    private static final Pattern OURS = Pattern.compile("^import\\s+(?:static\\s+)?dev\\.gatehouse\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern FRAMEWORK = Pattern.compile(
            "^import\\s+(?:static\\s+)?(io\\.quarkus|io\\.vertx|io\\.netty|jakarta|io\\.smallrye)\\.", Pattern.MULTILINE);
    private static final Pattern IMPL = Pattern.compile(
            "^import\\s+(?:static\\s+)?(io\\.vertx|io\\.netty|io\\.quarkus)\\.[\\w.]*\\.impl\\.", Pattern.MULTILINE);
    private static final Pattern IMPL_NAMED = Pattern.compile(
            "\\b(io\\.vertx|io\\.netty)\\.[\\w.]*\\.impl\\.\\w+");

    @Test
    void importsPointDownTheLayers() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = topPackage(file);
            Set<String> allowed = ALLOWED.get(pkg);
            assertThat(allowed).as("package %s of %s is in ArchitectureTest.ALLOWED", pkg, file).isNotNull();
            Matcher m = OURS.matcher(Files.readString(file));
            while (m.find()) {
                String target = m.group(1);
                if (!target.equals(pkg) && !allowed.contains(target)) {
                    offenders.add(file + " imports " + target);
                }
            }
        }
        assertThat(offenders).as("imports against the layering").isEmpty();
    }

    @Test
    void purePackagesImportNoFramework() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources()) {
            if (!PURE.contains(topPackage(file))) {
                continue;
            }
            String text = Files.readString(file);
            Matcher m = FRAMEWORK.matcher(text);
            while (m.find()) {
                offenders.add(file + ": " + m.group().trim());
            }
        }
        assertThat(offenders).as("framework imports in pure packages").isEmpty();
    }

    @Test
    void implementationClassesStayInTheAdapterPackage() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources()) {
            if (file.startsWith(SOURCES.resolve("gateway/vertx"))) {
                continue;
            }
            String text = Files.readString(file);
            Matcher m = IMPL.matcher(text);
            while (m.find()) {
                offenders.add(file + ": " + m.group().trim());
            }
            Matcher named = IMPL_NAMED.matcher(text.replaceAll("(?m)^import .*$", ""));
            while (named.find()) {
                offenders.add(file + ": names " + named.group());
            }
        }
        assertThat(offenders).as("Vert.x/Netty implementation classes outside gateway.vertx").isEmpty();
    }

    @Test
    void everyPackageHasPackageInfo() throws IOException {
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            List<Path> dirs = walk.filter(Files::isDirectory)
                    .filter(d -> {
                        try (Stream<Path> list = Files.list(d)) {
                            return list.anyMatch(f -> f.toString().endsWith(".java"));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
            assertThat(dirs).allSatisfy(d -> assertThat(d.resolve("package-info.java")).exists());
        }
    }

    @Test
    void theRulesSeeTheSources() throws IOException {
        // a moved source tree would make every rule above pass vacuously
        assertThat(sources()).hasSizeGreaterThan(100);
        assertThat(sources()).anyMatch(f -> topPackage(f).equals("access"))
                .anyMatch(f -> topPackage(f).equals("net"));
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** {@code gateway} for {@code dev/gatehouse/gateway/forward/X.java}; "" for the root package. */
    private static String topPackage(Path file) {
        Path rel = SOURCES.relativize(file);
        return rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
    }
}
