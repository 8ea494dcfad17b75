/**
 * The Gatehouse configuration: the YAML document model and its loader.
 *
 * <p>Rule of this package: values and validation only; a config either loads whole or is rejected
 * with every error and its path, it never half-loads. A reload may reuse an app compiled before, but
 * only when its content digest ({@code AppDigest}: its YAML subtree and its IdP) is unchanged.
 */
package dev.gatehouse.config;
