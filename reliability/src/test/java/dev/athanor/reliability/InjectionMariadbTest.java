package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

import net.jqwik.api.PropertyDefaults;

@PropertyDefaults(tries = 200)
class InjectionMariadbTest extends AbstractInjectionProperties {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
