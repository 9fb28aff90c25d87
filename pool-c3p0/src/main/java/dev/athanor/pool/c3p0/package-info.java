/**
 * The {@code c3p0} pool backend: {@link dev.athanor.pool.c3p0.C3p0PoolProvider} keeps an engine's connections in a
 * c3p0 pool, reached only through c3p0's public API; the engine applies SQLAlchemy's pool rules. Select it with
 * {@code Engine.builder(url).pool("c3p0")}, or just put this module on the classpath without the higher-priority
 * backends.
 */
package dev.athanor.pool.c3p0;
