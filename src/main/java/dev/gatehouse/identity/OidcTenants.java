package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One quarkus-oidc tenant per configured IdP, resolved from the matched app (the pipeline puts the
 * app's {@link IdpConfig} in the routing context). Without one the resolver answers null and, the
 * default tenant being disabled, authentication fails: closed, never a silent fallback.
 */
@ApplicationScoped
public class OidcTenants implements TenantConfigResolver {
    /** Routing-context key of the {@link IdpConfig} that must authenticate this request. */
    public static final String IDP_KEY = "gatehouse.idp";
    /** Clock skew tolerated on exp, nbf and iat. */
    static final int CLOCK_SKEW_SECONDS = 30;

    private final Map<IdpConfig, OidcTenantConfig> tenants = new ConcurrentHashMap<>();
    private final TlsConfigurationRegistry tls;

    public OidcTenants(TlsConfigurationRegistry tls) {
        this.tls = tls;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext rc, OidcRequestContext<OidcTenantConfig> ctx) {
        IdpConfig idp = rc.get(IDP_KEY);
        if (idp == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(tenants.computeIfAbsent(idp, this::tenantConfig));
    }

    /** The tenant id: the IdP id plus a digest of its settings, so a changed IdP never reuses stale state. */
    public static String tenantId(IdpConfig idp) {
        return idp.tenantId();
    }

    OidcTenantConfig tenantConfig(IdpConfig idp) {
        var builder = OidcTenantConfig.authServerUrl(idp.issuer());
        if (idp.ca() != null) {
            // a private CA (ca-file): the tenant's discovery and key fetches trust it and nothing else
            String name = "gatehouse-idp-" + tenantId(idp);
            tls.register(name, new IdpCaTls(idp.ca()));
            builder.tlsConfigurationName(name);
        }
        return builder
                .tenantId(tenantId(idp))
                .applicationType(ApplicationType.SERVICE)
                .discoveryEnabled(true)
                .token()
                    .issuer(idp.issuer())
                    .audience(idp.audience())
                    .lifespanGrace(CLOCK_SKEW_SECONDS)
                    .allowOpaqueTokenIntrospection(false)
                    .allowJwtIntrospection(false)
                    // an unknown kid triggers at most one JWKS fetch per minute (kid sprays stay cheap)
                    .forcedJwkRefreshInterval(Duration.ofMinutes(1))
                    .end()
                .build();
    }
}
