package dev.athanor.spi;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where a backend gets new physical connections. The engine implements it: each connection it returns is already
 * configured (driver properties, connect timeout, auto-commit off, isolation level) and is tracked, so that pool
 * events, recycle and pre-ping work the same for every backend. A backend must open connections only through here,
 * never through {@code DriverManager} itself.
 */
public interface ConnectionSource {

    /** Opens a new physical connection. A failure leaves nothing open. */
    Connection connect() throws SQLException;

    /** The same as a {@link DataSource}, for pools that take one ({@code getConnection()} calls {@link #connect()}). */
    DataSource asDataSource();

    /** The pool name, for log lines and messages. */
    String poolName();


    /** The database URL with its password masked, for log lines and messages. */
    String describe();
}
