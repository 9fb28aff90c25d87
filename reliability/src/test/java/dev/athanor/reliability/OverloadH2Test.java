package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class OverloadH2Test extends AbstractOverloadTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
