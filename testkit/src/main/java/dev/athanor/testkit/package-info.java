/**
 * The contract test kit: {@link dev.athanor.testkit.PoolBackendContract} runs every rule of Athanor's pool semantics
 * against a pool adapter found by name, and {@link dev.athanor.testkit.FidelityTable} turns the results into the
 * README's fidelity table.
 */
package dev.athanor.testkit;
