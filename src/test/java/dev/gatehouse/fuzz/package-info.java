/**
 * Property-based fuzzing (jqwik) of the parsers that face hostile input: only validation results
 * come out of them, never another exception or a hang.
 */
package dev.gatehouse.fuzz;
