package dev.athanor.mybatis;

import dev.athanor.testing.TestDatabase;

class MyBatisH2Test extends AbstractMyBatisTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
