package dev.gatehouse.gateway;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.config.LoginMode;
import dev.gatehouse.config.WhoamiDetail;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.CompiledPolicy;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyError;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The admin API as the engine sees it: a synthetic {@link AppRoute} on the admin host whose policy
 * is {@code gatehouse.admin.policy} (compiled once at startup; an invalid one stops the process
 * with every error) and whose IdP is {@code gatehouse.admin.idp}, or the config's only IdP. Admin
 * requests are authenticated and decided exactly like an app's; the route is never forwarded.
 */
@Singleton
public class AdminRoutes {
    /** The {@code app} of admin requests in metrics, logs and problems; not a valid app id, so no app has it. */
    public static final String APP_ID = "_admin";
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    /** The admin API's paths. */
    static final String API_PREFIX = "/api/v1/";
    /** The admin console's pages ({@code /console} itself redirects to {@code /console/}). */
    static final String CONSOLE_PREFIX = "/console/";
    /** The OpenID AuthZEN Authorization API 1.0 ({@code /access/v1/evaluation(s)}), guarded the same way. */
    static final String AUTHZEN_PREFIX = "/access/v1/";

    private final String host;
    private final CompiledPolicy policy;
    private final Optional<String> idpId;
    private final long maxBody;
    private final SnapshotHolder snapshots;
    private volatile Resolved resolved;

    /** The route for one set of IdPs (rebuilt only when the config's IdPs change). */
    private record Resolved(Map<String, IdpConfig> idps, AppRoute route) {
    }

    @Inject
    public AdminRoutes(GatehouseSettings settings, SnapshotHolder snapshots) {
        this(settings.admin().host(), settings.admin().policy(), settings.admin().idp(),
                settings.admin().maxBodySize().asLongValue(), snapshots);
    }

    AdminRoutes(String host, String policyText, Optional<String> idpId, long maxBody, SnapshotHolder snapshots) {
        this.host = host.toLowerCase(Locale.ROOT);
        this.policy = compile(policyText);
        this.idpId = idpId.filter(s -> !s.isBlank());
        this.maxBody = maxBody;
        this.snapshots = snapshots;
    }

    /** Whether a (normalised) host is the admin host: then the admin API answers, never an app. */
    boolean serves(String normalisedHost) {
        return host.equals(normalisedHost);
    }

    /**
     * Whether a (normalised) path on the admin host is Gatehouse's: the API and the console, both
     * behind the same admin policy. Anything else there is 404 before any authentication.
     */
    static boolean servesPath(String path) {
        return path.startsWith(API_PREFIX) || path.startsWith(AUTHZEN_PREFIX) || path.startsWith(CONSOLE_PREFIX) || path.equals("/console");
    }

    /** Largest body the admin API reads. */
    long maxBody() {
        return maxBody;
    }

    /** The admin route for the current config, or null while the admin API is off (no usable IdP). */
    public AppRoute current() {
        Map<String, IdpConfig> idps = snapshots.current().config().idps();
        Resolved r = resolved;
        if (r == null || r.idps() != idps) {
            r = new Resolved(idps, build(idps));
            resolved = r;
        }
        return r.route();
    }

    private AppRoute build(Map<String, IdpConfig> idps) {
        IdpConfig idp;
        if (idpId.isPresent()) {
            idp = idps.get(idpId.get());
            if (idp == null) {
                LOG.errorf("admin API off: gatehouse.admin.idp '%s' is not an IdP of the config (known: %s)",
                        idpId.get(), String.join(", ", idps.keySet()));
                return null;
            }
        } else if (idps.size() == 1) {
            idp = idps.values().iterator().next();
        } else {
            LOG.warnf("admin API off: the config has %d IdPs; set gatehouse.admin.idp to the one whose tokens it "
                    + "accepts", idps.size());
            return null;
        }
        AppConfig app = new AppConfig(APP_ID, host, "/", URI.create("http://admin.invalid/"), idp.id(),
                LoginMode.BOTH, policy, Duration.ofSeconds(30), false, false, false, null, maxBody,
                WhoamiDetail.OFF);
        LOG.infof("admin API on http(s)://%s/api/v1/ (data port) for bearer tokens and browser sessions of IdP '%s'", host, idp.id());
        LOG.infof("admin console on http(s)://%s/console/ (data port), behind the same admin policy", host);
        return new AppRoute(app, idp);
    }

    /** Compiles the admin policy from its YAML or JSON text; refuses to start on any error. */
    static CompiledPolicy compile(String text) {
        Object tree;
        try {
            tree = ConfigLoader.yamlMapper().readValue(text, Object.class);
        } catch (IOException e) {
            throw new ConfigurationException("gatehouse.admin.policy is not valid YAML or JSON: "
                    + String.valueOf(e.getMessage()).split("\n")[0]);
        }
        CompileResult r = PolicyCompiler.compile(tree, "gatehouse.admin.policy", 1);
        if (!r.ok()) {
            throw new ConfigurationException("gatehouse.admin.policy is invalid:\n  " + r.errors().stream()
                    .map(PolicyError::toString).collect(Collectors.joining("\n  ")));
        }
        return r.policy();
    }
}
