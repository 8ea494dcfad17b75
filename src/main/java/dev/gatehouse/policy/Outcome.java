package dev.gatehouse.policy;

/** The three outcomes of a policy decision. */
public enum Outcome {
    /** The allow block is TRUE and the deny block FALSE (or absent). */
    ALLOW,
    /** The caller is known but the policy does not let them in (a rule failed, or a fact it needs is unknown). */
    DENY,
    /** The policy needs an identity and the request carries none: ask the caller to sign in. */
    UNAUTHENTICATED
}
