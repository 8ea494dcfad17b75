package dev.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * A whole, validated configuration document.
 *
 * @param idps    IdPs by id
 * @param apps    apps, in file order
 * @param source  where it was loaded from, for logs
 * @param digests each app's {@link AppDigest} by app id (empty for a config assembled in code, whose
 *                apps then count as changed at every reload)
 * @param candidates the candidate policies of apps in shadow mode, by app id (only apps of this
 *                config; set through the admin API, never in the file)
 */
public record GatehouseConfig(Map<String, IdpConfig> idps, List<AppConfig> apps, String source,
                              Map<String, String> digests, Map<String, CandidatePolicy> candidates) {
    public GatehouseConfig {
        idps = Map.copyOf(idps);
        apps = List.copyOf(apps);
        digests = Map.copyOf(digests);
        candidates = Map.copyOf(candidates);
    }

    /** A config without candidate policies. */
    public GatehouseConfig(Map<String, IdpConfig> idps, List<AppConfig> apps, String source,
                           Map<String, String> digests) {
        this(idps, apps, source, digests, Map.of());
    }

    /** A config without digests. */
    public GatehouseConfig(Map<String, IdpConfig> idps, List<AppConfig> apps, String source) {
        this(idps, apps, source, Map.of(), Map.of());
    }
}
