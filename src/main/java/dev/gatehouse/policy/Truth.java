package dev.gatehouse.policy;

/**
 * The three values of a policy rule (Kleene's strong three-valued logic). UNKNOWN stands for a fact
 * the request does not establish: a claim that is missing, of the wrong type, or marked incomplete
 * by the IdP. Access needs the allow block TRUE and the deny block FALSE, so an unknown fact never
 * grants: it can neither satisfy an allow nor escape a deny.
 */
public enum Truth {
    TRUE, FALSE, UNKNOWN;

    /** Negation: unknown stays unknown. */
    public Truth not() {
        return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN;
    }

    /** Picks one of three values by this truth value; lets a criterion name its reason without a switch. */
    public <T> T pick(T ifTrue, T ifFalse, T ifUnknown) {
        return this == TRUE ? ifTrue : this == FALSE ? ifFalse : ifUnknown;
    }
}
