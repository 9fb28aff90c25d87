package dev.athanor.junit5;

import dev.athanor.AthanorException;
import dev.athanor.ConfigurationException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One bind's outer transaction during one test: the engine's {@code connectionWrapper}, which turns each connection
 * the engine opens into a {@link RollbackConnection}, and the end of the test, which rolls them back. The engine's
 * {@code static} pool opens one connection and shares it; a second one exists only after the first was invalidated.
 */
final class OuterTransaction implements UnaryOperator<Connection> {
    private final String bind;
    private final List<RollbackConnection> connections = new ArrayList<>();

    OuterTransaction(String bind) {
        this.bind = bind;
    }

    @Override
    public synchronized Connection apply(Connection raw) {
        try {
            RollbackConnection c = new RollbackConnection(bind, raw);
            connections.add(c);
            return c;
        } catch (SQLException e) {
            if ("25000".equals(e.getSQLState())) {
                throw new ConfigurationException(e.getMessage(), e);
            }
            throw new AthanorException("[test transaction of bind '" + bind + "'] could not begin the outer "
                    + "transaction: " + e.getMessage(), e);
        }
    }

    /** Rolls every connection back; the problems that make the test fail (none when the rollback undid it all). */
    synchronized List<String> finish() {
        List<String> problems = new ArrayList<>();
        for (RollbackConnection c : connections) {
            String problem = c.finish();
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }
}
