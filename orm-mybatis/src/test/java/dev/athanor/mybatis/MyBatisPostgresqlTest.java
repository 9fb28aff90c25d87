package dev.athanor.mybatis;

import dev.athanor.testing.TestDatabase;

class MyBatisPostgresqlTest extends AbstractMyBatisTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
