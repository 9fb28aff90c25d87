package dev.athanor;


import dev.athanor.testing.TestDatabase;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension, registered in code, that gives each test a fresh {@link Engine} on one {@link TestDatabase}
 * and fails the test if it leaves a connection checked out (Jdbi-style leak checking).
 *
 * <pre>{@code
 * @RegisterExtension
 * final DatabaseExtension db = DatabaseExtension.on(TestDatabase.POSTGRESQL).configure(b -> b.poolSize(2));
 *
 * @Test
 * void works() {
 *     db.engine().useConnection(c -> c.execute("SELECT 1"));
 * }
 * }</pre>
 */
public final class DatabaseExtension implements BeforeEachCallback, AfterEachCallback {
    private final TestDatabase database;
    private UnaryOperator<EngineBuilder> configuration = UnaryOperator.identity();
    private Engine engine;

    private DatabaseExtension(TestDatabase database) {
        this.database = database;
    }

    public static DatabaseExtension on(TestDatabase database) {
        return new DatabaseExtension(database);
    }

    /** Extra engine options for every test (pool backend, sizes, …). */
    public DatabaseExtension configure(UnaryOperator<EngineBuilder> configuration) {
        this.configuration = configuration;
        return this;
    }

    public TestDatabase database() {
        return database;
    }

    /** This test's engine. */
    public Engine engine() {
        if (engine == null) {
            throw new IllegalStateException("the engine exists only while a test runs");
        }
        return engine;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        engine = configuration.apply(Engine.builder(database.availableUrl())).build();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Engine e = engine;
        engine = null;
        int leaked = e.status().checkedOut();
        e.close();
        if (leaked != 0 && context.getExecutionException().isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " left " + leaked
                    + " connection(s) checked out: close every Connection (try-with-resources)");
        }
    }
}
