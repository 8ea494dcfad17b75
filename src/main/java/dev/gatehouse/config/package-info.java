/**
 * The Gatehouse configuration: the YAML document model and its loader.
 *
 * <p>Rule of this package: values and validation only; a config either loads whole or is rejected
 * with every error and its path, it never half-loads.
 */
package dev.gatehouse.config;
