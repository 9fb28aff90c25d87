/**
 * The {@code hikari} pool backend: {@link dev.athanor.pool.hikari.HikariPoolProvider} (found through
 * {@code META-INF/services}) and {@link dev.athanor.pool.hikari.HikariPoolBackend}, HikariCP 7 as the connection
 * store under the engine's QueuePool rules.
 */
package dev.athanor.pool.hikari;
