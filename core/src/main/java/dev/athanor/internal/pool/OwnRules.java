package dev.athanor.internal.pool;

import dev.athanor.PoolStatus;
import dev.athanor.spi.PoolBackend;

/**
 * A core pool that is not a queue ({@code null}, {@code static}): it keeps its own counts and needs none of the
 * engine's queue rules (no cap, no idle cap, no waiting), and it hands out the engine's connection itself.
 */
interface OwnRules extends PoolBackend {
    PoolStatus status();
}
