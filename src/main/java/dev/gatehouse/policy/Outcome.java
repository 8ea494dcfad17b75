package dev.gatehouse.policy;

/** The three outcomes of a policy decision. */
public enum Outcome {
    /** At least one allow rule held and no deny rule did. */
    ALLOW,
    /** The caller is known but the policy does not let them in. */
    DENY,
    /** The policy needs an identity and the request carries none: ask the caller to sign in. */
    UNAUTHENTICATED
}
