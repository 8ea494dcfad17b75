package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every key the loader accepts: each YAML field the readers know and each
 * {@code gatehouse.*} property of {@link GatehouseSettings} must appear there as a backticked name
 * ({@code `apps[].host`}, {@code `idps.<id>.claims.groups`}, {@code `gatehouse.rate-limit.per-ip`}).
 * The key sets are read from the code, so a new key without documentation fails this test.
 */
class ConfigReferenceTest {

    private static final Path REFERENCE = Path.of("docs/configuration.md");

    @Test
    void everyYamlFieldIsDocumented() throws IOException {
        Set<String> expected = new TreeSet<>();
        expected.addAll(ConfigLoader.TOP_LEVEL);
        IdpSectionReader.FIELDS.forEach(f -> expected.add("idps.<id>." + f));
        IdpSectionReader.CLAIM_FIELDS.forEach(f -> expected.add("idps.<id>.claims." + f));
        AppSectionReader.FIELDS.forEach(f -> expected.add("apps[]." + f));
        assertAllDocumented(expected);
    }

    @Test
    void everyGatehousePropertyIsDocumented() throws IOException {
        Set<String> expected = new TreeSet<>();
        collect(GatehouseSettings.class, "gatehouse", expected);
        // a sanity check on the walk itself, so a broken walk cannot pass by finding nothing
        assertTrue(expected.contains("gatehouse.config") && expected.contains("gatehouse.demo")
                && expected.contains("gatehouse.rate-limit.token-checks-per-ip"), "walk found " + expected);
        assertAllDocumented(expected);
    }

    /** Leaf property names of a {@code @ConfigMapping} interface, as SmallRye names them (kebab-case). */
    private static void collect(Class<?> mapping, String prefix, Set<String> into) {
        for (Method m : mapping.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                continue;
            }
            String name;
            if (m.isAnnotationPresent(WithParentName.class)) {
                name = prefix;
            } else if (m.isAnnotationPresent(WithName.class)) {
                name = prefix + "." + m.getAnnotation(WithName.class).value();
            } else {
                name = prefix + "." + kebab(m.getName());
            }
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == GatehouseSettings.class) {
                collect(type, name, into);
            } else {
                into.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void assertAllDocumented(Set<String> keys) throws IOException {
        String doc = Files.readString(REFERENCE);
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (!doc.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), REFERENCE + " does not list (as `name`): " + missing);
    }
}
