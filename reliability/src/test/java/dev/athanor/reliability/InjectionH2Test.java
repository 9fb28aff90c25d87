package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

import net.jqwik.api.PropertyDefaults;

@PropertyDefaults(tries = 1000)
class InjectionH2Test extends AbstractInjectionProperties {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
