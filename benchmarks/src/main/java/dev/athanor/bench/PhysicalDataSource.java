package dev.athanor.bench;

import dev.athanor.Url;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens physical connections the way Athanor's engine does (the driver found once, the URL's properties, auto-commit
 * off), so that a native pool built on it does the same work per connection as the pool under an engine.
 */
final class PhysicalDataSource implements DataSource {
    private final String jdbcUrl;
    private final Properties properties;
    private final Driver driver;
    private PrintWriter logWriter;
    private int loginTimeout;

    PhysicalDataSource(String url) {
        Url parsed = Url.parse(url);
        this.jdbcUrl = parsed.jdbcUrl();
        this.properties = parsed.driverProperties();
        try {
            this.driver = DriverManager.getDriver(jdbcUrl);
        } catch (SQLException e) {
            throw new IllegalStateException("no JDBC driver accepts " + Url.mask(jdbcUrl), e);
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    Driver driver() {
        return driver;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = driver.connect(jdbcUrl, properties);
        if (c == null) {
            throw new SQLException("the driver refused " + Url.mask(jdbcUrl), "08001");
        }
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from the URL");
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
