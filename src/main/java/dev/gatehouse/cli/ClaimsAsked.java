package dev.gatehouse.cli;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.IdpConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims a config actually asks of each IdP, so that {@code doctor} reports a claim missing
 * from a token only when something depends on it: the settings the file names under
 * {@code idps.<id>.claims} (an operator who writes {@code device-trust: trust_level} expects it), and
 * the settings the policies of the IdP's apps read ({@code groups: {has: ...}} reads {@code groups},
 * {@code device: {compliant: true}} reads {@code device-compliant}). A default path nobody set and no
 * policy reads is not asked for. {@code subject} is always asked for: every token needs it.
 */
final class ClaimsAsked {
    private ClaimsAsked() {
    }

    /**
     * @param config the validated config
     * @param tree   the same file's YAML document (for which claim settings it names)
     * @return the asked-for claim settings by IdP id
     */
    static Map<String, Set<String>> of(GatehouseConfig config, Object tree) {
        Map<String, Set<String>> asked = new HashMap<>();
        for (IdpConfig idp : config.idps().values()) {
            Set<String> settings = new TreeSet<>(configured(tree, idp.id()));
            settings.add("subject");
            asked.put(idp.id(), settings);
        }
        for (AppConfig app : config.apps()) {
            Set<String> settings = asked.get(app.idp());
            if (settings != null && app.policy() != null) {
                settings.addAll(app.policy().claimSettings());
            }
        }
        return asked;
    }

    /** The keys of {@code idps.<id>.claims} in the document; empty when it has none. */
    private static Set<String> configured(Object tree, String idpId) {
        Set<String> keys = new TreeSet<>();
        if (tree instanceof Map<?, ?> root && root.get("idps") instanceof Map<?, ?> idps
                && idps.get(idpId) instanceof Map<?, ?> idp && idp.get("claims") instanceof Map<?, ?> claims) {
            claims.keySet().forEach(k -> keys.add(String.valueOf(k)));
        }
        return keys;
    }
}
