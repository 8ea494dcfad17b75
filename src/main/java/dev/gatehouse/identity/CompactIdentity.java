package dev.gatehouse.identity;

import dev.gatehouse.policy.ClaimList;
import dev.gatehouse.policy.Identity;

/**
 * An {@link Identity} as the token cache keeps it: its group, role and {@code amr} lists shared
 * with every other cached identity that has the same ones (most of a team has the same groups,
 * nearly everyone the same {@code amr}), through a bounded pool. {@link dev.gatehouse.policy.IdentityFactory}
 * copies each list out of the claims; without this every cached token kept its own copies.
 */
final class CompactIdentity {
    private static final Interner<ClaimList> LISTS = new Interner<>(200_000, l -> 1 + l.values().size());

    private CompactIdentity() {
    }

    static Identity of(Identity id) {
        return new Identity(id.subject(), id.email(), id.emailUnverified(), pooled(id.groupsClaim()),
                pooled(id.rolesClaim()), pooled(id.amrClaim()), id.acr(), id.authTimeEpochSeconds(), id.device(),
                id.claims(), id.name());
    }

    private static ClaimList pooled(ClaimList list) {
        if (list == ClaimList.UNKNOWN || list.values().size() > 64) {
            return list;
        }
        for (String s : list.values()) {
            if (s.length() > CompactClaims.POOLED_MAX_LENGTH) { // the pool's budget counts entries, not bytes
                return list;
            }
        }
        return LISTS.intern(list);
    }
}
