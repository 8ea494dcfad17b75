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

    /**
     * A validated config with its apps as written: the YAML tree of each app by id, which the admin
     * API shows for apps that come from the file (kept as text, {@link AppDocuments}).
     */
    public record Loaded(GatehouseConfig config, AppDocuments appDocuments) {
    }

    public GatehouseConfig load(Path file) {
        return parse(ConfigText.read(file).text(), file.toString());
    }

    /** {@link #load} that also keeps each app's document (one read of the file: no race with an edit). */
    public Loaded loadWithDocuments(Path file) {
        return parseWithDocuments(ConfigText.read(file).text(), file.toString());
    }

    /** {@link #parse} that also keeps each app's document. */
    public Loaded parseWithDocuments(String yaml, String source) {
        return parseWithDocuments(yaml, source, AppHistory.NONE);
    }

    /** {@link #parse(String, String, AppHistory)} that also keeps each app's document (one parse). */
    public Loaded parseWithDocuments(String yaml, String source, AppHistory history) {
        Object[] tree = new Object[1];
        GatehouseConfig config = parse(yaml, source, history, tree);
        Map<String, Object> documents = new LinkedHashMap<>();
        // the tree just read as a valid config: every app is a mapping with a string id
        if (tree[0] instanceof Map<?, ?> root && root.get("apps") instanceof List<?> apps) {
            for (Object app : apps) {
                if (app instanceof Map<?, ?> m && m.get("id") instanceof String id) {
                    documents.put(id, app);
                }
            }
        }
        return new Loaded(config, AppDocuments.of(documents));
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
        return parse(yaml, source, history, new Object[1]);
    }

    /** @param treeOut receives the YAML tree of a valid document */
    private GatehouseConfig parse(String yaml, String source, AppHistory history, Object[] treeOut) {
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
        treeOut[0] = tree;
        return new GatehouseConfig(new LinkedHashMap<>(idps), apps, source, digests);
    }
}
