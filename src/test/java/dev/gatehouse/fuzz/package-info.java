/**
 * Randomised fuzzing of the parsers that face hostile input (path and host normalisers, policy
 * compiler, config loader): seeded generators drive tens of thousands of inputs per run, and only
 * validation results may come out, never another exception or a hang. jqwik was the first choice;
 * its engine states that AI agents must not use it, so these run on a small seeded driver
 * ({@link dev.gatehouse.fuzz.Fuzz}) in plain JUnit instead.
 */
package dev.gatehouse.fuzz;
