package dev.gatehouse.policy;

import java.util.List;

/**
 * A list-valued identity fact (groups, roles, amr) as far as the token establishes it: the values
 * it names, and whether they are all of them.
 *
 * <ul>
 *   <li>complete: the token's list is the whole truth; a value not in it is surely absent.</li>
 *   <li>incomplete with values: the IdP marked the claim as partial (OpenID Connect distributed
 *       claims, e.g. Entra ID's {@code _claim_names}); a value in the list is surely present, a value
 *       not in it may still be.</li>
 *   <li>{@link #UNKNOWN}: incomplete and empty; the claim was missing, of the wrong type, or only
 *       available elsewhere. Nothing can be decided from it.</li>
 * </ul>
 *
 * @param values   the string values the token names (never null, unmodifiable)
 * @param complete whether {@code values} is the complete list
 */
public record ClaimList(List<String> values, boolean complete) {
    /** Nothing known. */
    public static final ClaimList UNKNOWN = new ClaimList(List.of(), false);

    public ClaimList {
        values = List.copyOf(values);
    }

    /** A complete list. */
    public static ClaimList of(List<String> values) {
        return new ClaimList(values, true);
    }
}
