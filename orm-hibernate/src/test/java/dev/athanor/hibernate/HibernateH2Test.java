package dev.athanor.hibernate;

import dev.athanor.testing.TestDatabase;

class HibernateH2Test extends AbstractHibernateTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
