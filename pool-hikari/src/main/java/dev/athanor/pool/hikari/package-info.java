/**
 * The {@code hikari} pool backend: {@link dev.athanor.pool.hikari.HikariPoolProvider} (found through
 * {@code META-INF/services}) and {@link dev.athanor.pool.hikari.HikariPoolBackend}, HikariCP 7 with SQLAlchemy's
 * QueuePool semantics.
 */
package dev.athanor.pool.hikari;
