package dev.athanor.testing.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver with no database behind it, for fast tests of pools and engines and for benchmarks that isolate
 * pool overhead. A test fixture, not shipped.
 *
 * <p>It accepts URLs {@code jdbc:stub:NAME} and {@code jdbc:stub:NAME;key=value;...}; {@code NAME} selects a
 * {@link StubDatabase}, which counts what happens and injects failures. The driver registers itself with
 * {@link DriverManager} when loaded, both through {@code META-INF/services/java.sql.Driver} and its static
 * initializer, so a URL is all a pool needs:
 *
 * <pre>{@code
 * StubDatabase db = StubDatabase.fresh();
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl(db.url());
 * }</pre>
 *
 * <p>Connection properties ({@code user}, {@code password}, ...) and URL parameters, which win over them, are
 * kept on the connection: see {@link StubConnection#properties()}.
 */
public final class StubDriver implements Driver {
    /** What every URL this driver accepts starts with. */
    public static final String URL_PREFIX = "jdbc:stub:";

    private static final StubDriver INSTANCE = new StubDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** For {@link java.util.ServiceLoader}; the registered instance is created by the static initializer. */
    public StubDriver() {
    }

    /** Makes sure the driver is registered with {@link DriverManager}; loading this class is enough. */
    public static void register() {
        // the static initializer has run by the time this body executes
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (url == null) {
            throw new SQLException("stub: url is null");
        }
        if (!acceptsURL(url)) {
            return null;
        }
        int end = url.indexOf(';', URL_PREFIX.length());
        String name = url.substring(URL_PREFIX.length(), end < 0 ? url.length() : end);
        if (name.isEmpty()) {
            throw new SQLException("stub: expected a URL jdbc:stub:NAME, found no NAME",
                    StubSupport.CONNECTION_REFUSED);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                properties.put(key, info.getProperty(key));
            }
        }
        if (end >= 0) {
            parseParameters(url.substring(end + 1), properties);
        }
        return StubDatabase.named(name).connect(properties);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(URL_PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw StubSupport.unsupported("getParentLogger");
    }

    /** Adds {@code key=value;...} to {@code into}; messages leave the URL out as it may hold a password. */
    private static void parseParameters(String parameters, Map<String, String> into) throws SQLException {
        for (String parameter : parameters.split(";")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                throw new SQLException("stub: expected key=value after ';' in the URL, found '" + parameter + "'",
                        StubSupport.CONNECTION_REFUSED);
            }
            into.put(parameter.substring(0, equals), parameter.substring(equals + 1));
        }
    }
}
