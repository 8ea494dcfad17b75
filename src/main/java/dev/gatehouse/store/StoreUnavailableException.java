package dev.gatehouse.store;

/**
 * The store's database could not be reached or failed mid-operation. The admin API answers 503;
 * the data plane never sees it (it keeps enforcing the last snapshot).
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
