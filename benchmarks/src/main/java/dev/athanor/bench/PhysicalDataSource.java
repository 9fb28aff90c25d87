package dev.athanor.bench;

import dev.athanor.Url;
import dev.athanor.spi.support.SimpleDataSource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens physical connections the way Athanor's engine does (the driver found once, the URL's properties, auto-commit
 * off), so that a native pool built on it does the same work per connection as the pool under an engine.
 */
final class PhysicalDataSource extends SimpleDataSource {
    private final String jdbcUrl;
    private final Properties properties;
    private final Driver driver;

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
}
