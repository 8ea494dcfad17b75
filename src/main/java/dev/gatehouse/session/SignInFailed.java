package dev.gatehouse.session;

/** A sign-in, callback or refresh that cannot succeed; the message is for the operator's log, never a secret. */
public final class SignInFailed extends RuntimeException {
    public SignInFailed(String message) {
        super(message, null, false, false);
    }
}
