/** The {@code c3p0} pool: c3p0, through its public API only, as the store under the engine's pool rules. */
package dev.athanor.pool.c3p0;
