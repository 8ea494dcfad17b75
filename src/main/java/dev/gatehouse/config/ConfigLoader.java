package dev.gatehouse.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a Gatehouse config file. Either the whole file is valid and a
 * {@link GatehouseConfig} comes back, or a {@link ConfigException} lists every error with its path.
 * Pure: usable offline by the policy-check command as well as at startup.
 */
public final class ConfigLoader {
    private static final Set<String> TOP_LEVEL = Set.of("idps", "apps");

    private final EnvInterpolator env;

    public ConfigLoader() {
        this(EnvInterpolator.system());
    }

    ConfigLoader(EnvInterpolator env) {
        this.env = env;
    }

    /** Creates a loader that resolves {@code ${NAME}} from the given map instead of the environment. */
    public static ConfigLoader withEnvironment(Map<String, String> environment) {
        return new ConfigLoader(new EnvInterpolator(environment::get));
    }

    /** A YAML mapper that rejects duplicate keys: a repeated key is ambiguous, never "last wins". */
    public static ObjectMapper yamlMapper() {
        LoaderOptions limits = new LoaderOptions();
        // SnakeYAML's 3 MB default is below a config with 10,000 apps; 64 MB still bounds a hostile file
        limits.setCodePointLimit(64 * 1024 * 1024);
        ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    /**
     * A validated config with its apps as written: the YAML tree of each app by id, which the admin
     * API shows for apps that come from the file.
     */
    public record Loaded(GatehouseConfig config, Map<String, Object> appDocuments) {
        public Loaded {
            appDocuments = Map.copyOf(appDocuments);
        }
    }

    public GatehouseConfig load(Path file) {
        return parse(read(file), file.toString());
    }

    /** {@link #load} that also keeps each app's document (one read of the file: no race with an edit). */
    public Loaded loadWithDocuments(Path file) {
        return parseWithDocuments(read(file), file.toString());
    }

    /** {@link #parse} that also keeps each app's document. */
    public Loaded parseWithDocuments(String yaml, String source) {
        GatehouseConfig config = parse(yaml, source);
        Map<String, Object> documents = new LinkedHashMap<>();
        try {
            // the text just parsed as a valid config: every app is a mapping with a string id
            if (yamlMapper().readValue(yaml, Object.class) instanceof Map<?, ?> root
                    && root.get("apps") instanceof List<?> apps) {
                for (Object app : apps) {
                    if (app instanceof Map<?, ?> m && m.get("id") instanceof String id) {
                        documents.put(id, app);
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigException(source, List.of("not valid YAML: " + e.getMessage()));
        }
        return new Loaded(config, documents);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read file: " + e.getMessage()));
        }
    }

    public GatehouseConfig parse(String yaml, String source) {
        Object tree;
        try {
            tree = yamlMapper().readValue(yaml, Object.class);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new ConfigException(source, List.of("not valid YAML: " + msg));
        }
        List<String> errors = new ArrayList<>();
        YamlNode root = YamlNode.of(tree, "", errors);
        if (root == null) {
            throw new ConfigException(source, List.of("the document must be a mapping with 'idps' and 'apps'"));
        }
        root.rejectUnknown(TOP_LEVEL);
        Map<String, IdpConfig> idps = new IdpSectionReader(env, errors).read(root.raw("idps"));
        List<AppConfig> apps = new AppSectionReader(idps.keySet(), errors).read(root.raw("apps"));
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return new GatehouseConfig(new LinkedHashMap<>(idps), apps, source);
    }
}
