package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.quarkus.oidc.runtime.OidcUtils;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts the JWKS fetches quarkus-oidc makes for each IdP ({@code gatehouse_jwks_refresh_total{idp,result}}):
 * the first at an IdP's first token, then one per rotation or unknown {@code kid} (at most one a
 * minute). {@code result} is {@code success} (2xx) or {@code failure} (any other answer); a fetch
 * that gets no answer at all (IdP unreachable) does not reach a response filter and is not counted:
 * it shows as {@code gatehouse_token_verifications_total{result="invalid"}}.
 */
@ApplicationScoped
@Unremovable
@OidcEndpoint(OidcEndpoint.Type.JWKS)
public class JwksFetchMeter implements OidcResponseFilter {
    private final SnapshotHolder snapshots;
    private final GatewayMetrics metrics;

    public JwksFetchMeter(SnapshotHolder snapshots, GatewayMetrics metrics) {
        this.snapshots = snapshots;
        this.metrics = metrics;
    }

    @Override
    public void filter(OidcResponseContext rc) {
        String tenant = rc.requestProperties().get(OidcUtils.TENANT_ID_ATTRIBUTE);
        int status = rc.statusCode();
        metrics.jwksRefresh(idpOf(tenant), status >= 200 && status < 300 ? "success" : "failure");
    }

    /** The configured IdP of a tenant id; {@code unknown} keeps the label set bounded otherwise. */
    private String idpOf(String tenant) {
        for (IdpConfig idp : snapshots.current().config().idps().values()) {
            if (OidcTenants.tenantId(idp).equals(tenant)) {
                return idp.id();
            }
        }
        return "unknown";
    }
}
