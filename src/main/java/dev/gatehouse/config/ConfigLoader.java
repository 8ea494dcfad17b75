package dev.gatehouse.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    static final Set<String> TOP_LEVEL = Set.of("idps", "apps");

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

    public GatehouseConfig load(Path file) {
        return parse(ConfigText.read(file).text(), file.toString());
    }

    public GatehouseConfig parse(String yaml, String source) {
        return parse(yaml, source, AppHistory.NONE);
    }

    /**
     * Parses and validates a document, reusing from {@code history} every app whose definition (its
     * subtree and its IdP's settings, {@link AppDigest}) is unchanged: a reload compiles only what
     * changed, and changed apps get their next policy version.
     */
    public GatehouseConfig parse(String yaml, String source, AppHistory history) {
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
        Map<String, String> digests = new HashMap<>();
        List<AppConfig> apps = new AppSectionReader(idps, history, errors).read(root.raw("apps"), digests);
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return new GatehouseConfig(new LinkedHashMap<>(idps), apps, source, digests);
    }
}
