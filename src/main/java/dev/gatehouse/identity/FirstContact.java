package dev.gatehouse.identity;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the first verification for an IdP tenant run alone: quarkus-oidc creates a tenant (discovery
 * and JWKS fetch) on its first request, and without this a burst of first requests would each fetch
 * both from the IdP. The others wait for the first to finish (whatever its outcome), then run.
 */
final class FirstContact {
    private final Map<String, CompletableFuture<Void>> tenants = new ConcurrentHashMap<>();

    <T> Uni<T> gate(String tenant, Uni<T> verification) {
        CompletableFuture<Void> first = tenants.get(tenant);
        if (first != null && first.isDone()) {
            return verification;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> existing = tenants.putIfAbsent(tenant, mine);
        if (existing == null) {
            return verification.onTermination().invoke(() -> mine.complete(null));
        }
        return Uni.createFrom().completionStage(existing).onItem().transformToUni(v -> verification);
    }
}
