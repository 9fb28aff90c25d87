/** The {@code hikari} pool: HikariCP 7 as the connection store under the engine's pool rules. */
package dev.athanor.pool.hikari;
