package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;


import dev.athanor.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class DatabaseExtensionTest {
    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.on(TestDatabase.H2);

    @Test
    void givesEachTestAWorkingEngine() {
        int one = db.engine().withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
        assertThat(one).isEqualTo(1);
    }

    @Test
    void failsATestThatLeavesAConnectionCheckedOut() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Leaky.class)).execute()
                .testEvents();
        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(tests.failed().stream().map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow().getMessage()))
                .singleElement().asString().contains("left 1 connection(s) checked out");
    }

    /** Run only through the test kit above (surefire skips nested classes). */
    static class Leaky {
        @RegisterExtension
        final DatabaseExtension db = DatabaseExtension.on(TestDatabase.H2);

        @Test
        void leaks() {
            Connection c = db.engine().connect();
            c.execute("SELECT 1").scalar();
        }

        @Test
        void closes() {
            try (Connection c = db.engine().connect()) {
                c.execute("SELECT 1").scalar();
            }
        }
    }
}
