/**
 * Where Gatehouse's public-key operations on the request path get their implementation: the
 * native provider ({@link dev.gatehouse.crypto.NativeCrypto}, Amazon Corretto Crypto Provider,
 * AWS-LC) when it loads and passes its self-tests, else the JDK's and BouncyCastle's Java code.
 *
 * <p>Rule of this package: pure Java, uses nothing else of Gatehouse. It registers no JCA provider:
 * callers name the provider they got from here, so nothing else in the process changes provider.
 */
package dev.gatehouse.crypto;
