package dev.athanor.hibernate;

import dev.athanor.testing.TestDatabase;

class HibernateMariadbTest extends AbstractHibernateTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
