/**
 * The engine's side of pooling: the rules applied identically around every backend ({@code ManagedPool}), the
 * connection source given to backends, provider discovery, and the core {@code null} and {@code static} pools.
 * Not API.
 */
package dev.athanor.internal.pool;
