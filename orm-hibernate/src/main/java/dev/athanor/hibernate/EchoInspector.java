package dev.athanor.hibernate;

import dev.athanor.internal.SqlLog;

import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Logs the SQL Hibernate prepares on a bind whose engine has {@code echo(true)}, on Athanor's SQL log
 * ({@code dev.athanor.sql}, INFO): {@code [pool] hibernate: SQL}. Hibernate's statement inspector sees each statement
 * as it is prepared, before it runs and without its parameters, so the line has no values and no time; a batched
 * statement is prepared once per batch.
 */
final class EchoInspector implements StatementInspector {
    private static final long serialVersionUID = 1L;

    private final String poolName;

    EchoInspector(String poolName) {
        this.poolName = poolName;
    }

    @Override
    public String inspect(String sql) {
        if (SqlLog.LOG.isInfoEnabled()) {
            SqlLog.LOG.info("[{}] hibernate: {}", poolName, sql);
        }
        return sql;
    }
}
