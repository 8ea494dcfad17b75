package dev.gatehouse.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy engine stays pure Java: no framework import may creep into its sources. */
class PolicyPurityTest {
    private static final Pattern FORBIDDEN =
            Pattern.compile("^\\s*import\\s+(static\\s+)?(io\\.quarkus|io\\.vertx|jakarta)\\.", Pattern.MULTILINE);
    private static final Path SOURCES = Path.of("src/main/java/dev/gatehouse/policy");

    @Test
    void policyPackagesImportNoFramework() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            var m = FORBIDDEN.matcher(Files.readString(file));
            while (m.find()) {
                offenders.add(file + ": " + m.group().trim());
            }
        }
        assertThat(files).as("policy sources found").hasSizeGreaterThan(20);
        assertThat(offenders).as("framework imports in the pure policy packages").isEmpty();
    }

    @Test
    void everyPolicyPackageHasPackageInfo() throws IOException {
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            List<Path> dirs = walk.filter(Files::isDirectory).toList();
            assertThat(dirs).allSatisfy(d -> assertThat(d.resolve("package-info.java")).exists());
        }
    }
}
