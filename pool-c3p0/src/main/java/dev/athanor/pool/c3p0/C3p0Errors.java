package dev.athanor.pool.c3p0;

import java.sql.SQLException;

/** Turns c3p0's checkout failures into the exception a {@link dev.athanor.spi.PoolBackend} reports. */
final class C3p0Errors {
    private C3p0Errors() {
    }

    /**
     * c3p0 opens connections on its helper threads and reports a failure as "Connections could not be acquired from
     * the underlying database!"; the driver's exception is further down the causes. The result carries the driver's
     * message, SQLState and code, with c3p0's exception as the cause.
     */
    static SQLException connectFailure(SQLException fromC3p0) {
        SQLException driver = null;
        for (Throwable t = fromC3p0.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException) {
                driver = (SQLException) t;
            }
        }
        if (driver == null) {
            return fromC3p0;
        }
        return new SQLException(driver.getMessage(), driver.getSQLState(), driver.getErrorCode(), fromC3p0);
    }
}
