package dev.athanor;

import java.util.List;
import java.util.Properties;

/**
 * What {@link EngineBuilder#transactionPooling(boolean)} checks and changes: an engine in front of a pooler that
 * hands each transaction (not each client connection) a server connection, PgBouncer's {@code pool_mode =
 * transaction}. Nothing that lives in a server session may be relied on there: a server-side prepared statement,
 * a session-level {@code SET}, a startup parameter the pooler does not track.
 *
 * <ul>
 *   <li>pgjdbc's {@code prepareThreshold} becomes {@code 0} unless set (in the URL or as a connect arg): no named
 *       server-side statements, whose next use may reach a server connection that never prepared them (42P05,
 *       26000, 08P01; about a third of statements failed without it, measured with PgBouncer 1.18).</li>
 *   <li>Refused at {@code build()}: an engine isolation level other than AUTOCOMMIT (pgjdbc sets it per connection
 *       with a session-level {@code SET SESSION CHARACTERISTICS}: it would reach one server connection and stay
 *       there for other clients), and the startup parameters {@code options} and {@code currentSchema} (PgBouncer
 *       refuses them, 08P01).</li>
 *   <li>Refused at run time: {@link Connection#isolationLevel} with a level other than AUTOCOMMIT (session-level
 *       too). A session transaction's isolation level and read-only flag are statements of the transaction
 *       ({@link TransactionSettings}) and work as anywhere else.</li>
 * </ul>
 */
final class TransactionPooling {
    static final String PREPARE_THRESHOLD = "prepareThreshold";
    private static final List<String> REFUSED_STARTUP_PARAMETERS = List.of("options", "currentSchema");

    private TransactionPooling() {
    }

    /** Adds a problem for each option that cannot work under transaction pooling. */
    static void check(Dialect dialect, IsolationLevel isolationLevel, Properties props, List<String> problems) {
        if (dialect != Dialect.POSTGRESQL) {
            problems.add("transactionPooling is for PostgreSQL behind a transaction-mode pooler (PgBouncer"
                    + " pool_mode=transaction); the URL's dialect is " + dialect.id() + " (valid: postgresql)");
            return;
        }
        if (isolationLevel != null && !isolationLevel.isAutocommit()) {
            problems.add("isolationLevel " + isolationLevel + " cannot be an engine default under transactionPooling:"
                    + " it is a session-level setting, which the pooler would leave on one server connection for"
                    + " other clients; set it per transaction (SessionFactoryBuilder.isolationLevel,"
                    + " Session.isolationLevel) or in the database (ALTER ROLE ... SET"
                    + " default_transaction_isolation); valid here: null or AUTOCOMMIT");
        }
        for (String name : REFUSED_STARTUP_PARAMETERS) {
            if (props.containsKey(name)) {
                problems.add("driver property '" + name + "' is a startup parameter PgBouncer refuses (08P01) under"
                        + " transactionPooling; set search_path and other settings in the database (ALTER ROLE ..."
                        + " SET search_path = ...) or qualify names");
            }
        }
    }

    /** The driver properties for transaction pooling: {@code prepareThreshold=0} unless the user chose one. */
    static void apply(Properties props) {
        if (!props.containsKey(PREPARE_THRESHOLD)) {
            props.setProperty(PREPARE_THRESHOLD, "0");
        }
    }
}
