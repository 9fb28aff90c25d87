package dev.athanor.testkit.reference;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

/** {@code reference}: the correct {@link ReferenceBackend}, which passes every rule of the kit. */
public class ReferenceProvider implements PoolProvider {
    private static final Capabilities EXACT = Capabilities.builder().allExact().build();

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int priority() {
        return -1000;
    }

    @Override
    public Capabilities capabilities() {
        return EXACT;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new ReferenceBackend(spec, source);
    }
}
