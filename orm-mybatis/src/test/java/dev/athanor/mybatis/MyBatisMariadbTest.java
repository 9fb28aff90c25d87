package dev.athanor.mybatis;

import dev.athanor.testing.TestDatabase;

class MyBatisMariadbTest extends AbstractMyBatisTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
