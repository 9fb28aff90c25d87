/**
 * The {@code c3p0} pool backend: {@link dev.athanor.pool.c3p0.C3p0PoolProvider} makes a c3p0 pool behave like
 * SQLAlchemy's QueuePool. Select it with {@code Engine.builder(url).pool("c3p0")}, or just put this module on the
 * classpath without the higher-priority backends.
 */
package dev.athanor.pool.c3p0;
