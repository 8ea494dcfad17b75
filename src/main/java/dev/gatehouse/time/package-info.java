/**
 * Time vocabulary shared by every layer: the one duration grammar.
 *
 * <p>Rule of this package: pure Java (the MicroProfile {@code Converter} interface aside), uses
 * nothing else of Gatehouse. Code that needs the current time takes a {@link java.time.Clock}
 * (injected; tests advance a mutable one) instead of calling {@code Instant.now()}.
 */
package dev.gatehouse.time;
