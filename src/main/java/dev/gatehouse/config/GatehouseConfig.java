package dev.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * A whole, validated configuration document.
 *
 * @param idps    IdPs by id
 * @param apps    apps, in file order
 * @param source  where it was loaded from, for logs
 */
public record GatehouseConfig(Map<String, IdpConfig> idps, List<AppConfig> apps, String source) {
    public GatehouseConfig {
        idps = Map.copyOf(idps);
        apps = List.copyOf(apps);
    }
}
