package dev.athanor.bench;

import com.mchange.v2.c3p0.DataSources;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.dbcp2.BasicDataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Builds the native pools with the settings that match an Athanor engine's (semantics.md's knob table): at most
 * {@code poolSize + maxOverflow} connections, {@code poolSize} kept idle, auto-commit off, rollback on return, FIFO
 * where the library has the switch, pre-ping as the library's test-on-borrow. Connections open through a
 * {@link PhysicalDataSource}, as under the engine, except for DBCP's {@code BasicDataSource}, which takes a driver.
 */
final class RawPools {
    private static final AtomicInteger NUMBER = new AtomicInteger();

    private RawPools() {
    }

    /**
     * HikariCP: {@code maximumPoolSize = poolSize + maxOverflow}, {@code minimumIdle = poolSize}. HikariCP cannot
     * turn validation off (it always tests connections idle for more than 500 ms), so {@code prePing} changes
     * nothing here: that is the library's own behaviour, not a setting we forgot.
     */
    static RawPool hikari(String url, PoolConfig cfg) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("raw-hikari-" + NUMBER.incrementAndGet());
        hc.setDataSource(new PhysicalDataSource(url));
        hc.setMaximumPoolSize(cfg.maxConnections());
        hc.setMinimumIdle(cfg.poolSize());
        hc.setAutoCommit(false);
        hc.setConnectionTimeout(cfg.poolTimeout().toMillis());
        HikariDataSource ds = new HikariDataSource(hc);
        return pool("hikari", ds, ds::close);
    }

    /** DBCP2 {@code BasicDataSource}: {@code maxTotal}, {@code maxIdle = poolSize}, {@code testOnBorrow = prePing}. */
    static RawPool dbcp(String url, PoolConfig cfg) {
        PhysicalDataSource physical = new PhysicalDataSource(url);
        BasicDataSource ds = new BasicDataSource();
        ds.setDriver(physical.driver());
        ds.setUrl(physical.jdbcUrl());
        Properties props = physical.properties();
        String user = (String) props.remove("user");
        String password = (String) props.remove("password");
        if (user != null) {
            ds.setUsername(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        props.forEach((k, v) -> ds.addConnectionProperty((String) k, (String) v));
        ds.setMaxTotal(cfg.maxConnections());
        ds.setMaxIdle(cfg.poolSize());
        ds.setMinIdle(0);
        ds.setInitialSize(0);
        ds.setMaxWait(cfg.poolTimeout());
        ds.setTestOnBorrow(cfg.prePing());
        ds.setDefaultAutoCommit(false);
        ds.setRollbackOnReturn(true);
        // DBCP's default switches auto-commit back on at every return and off at every borrow: two driver calls per
        // cycle that an engine never makes. A user who keeps auto-commit off turns that off too.
        ds.setAutoCommitOnReturn(false);
        ds.setLifo(false);
        return pool("dbcp", ds, () -> {
            try {
                ds.close();
            } catch (SQLException e) {
                throw new IllegalStateException("closing the DBCP pool failed", e);
            }
        });
    }

    /**
     * c3p0 with its defaults for what happens at checkin: it rolls back an open transaction and switches auto-commit
     * back on (the JDBC default), so a c3p0 user who wants a transaction switches it off after every
     * {@code getConnection()} — which the returned DataSource does. {@code maxPoolSize},
     * {@code minPoolSize = poolSize}, {@code testConnectionOnCheckout = prePing}.
     */
    static RawPool c3p0(String url, PoolConfig cfg) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("maxPoolSize", cfg.maxConnections());
        overrides.put("minPoolSize", cfg.poolSize());
        overrides.put("initialPoolSize", cfg.poolSize());
        overrides.put("acquireIncrement", 1);
        overrides.put("maxIdleTimeExcessConnections", 1);
        overrides.put("checkoutTimeout", (int) cfg.poolTimeout().toMillis());
        overrides.put("testConnectionOnCheckout", cfg.prePing());
        overrides.put("dataSourceName", "raw-c3p0-" + NUMBER.incrementAndGet());
        try {
            DataSource ds = DataSources.pooledDataSource(new PhysicalDataSource(url), overrides);
            return pool("c3p0", new AutoCommitOff(ds), () -> {
                try {
                    DataSources.destroy(ds);
                } catch (SQLException e) {
                    throw new IllegalStateException("closing the c3p0 pool failed", e);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("c3p0 pool could not be built", e);
        }
    }

    private static RawPool pool(String backend, DataSource ds, Runnable closer) {
        return new RawPool() {
            @Override
            public DataSource dataSource() {
                return ds;
            }

            @Override
            public String backend() {
                return backend;
            }

            @Override
            public void close() {
                closer.run();
            }
        };
    }

    /** Switches auto-commit off on every connection it hands out, as code that runs transactions on c3p0 does. */
    private static final class AutoCommitOff implements DataSource {
        private final DataSource delegate;

        AutoCommitOff(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = delegate.getConnection();
            c.setAutoCommit(false);
            return c;
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            Connection c = delegate.getConnection(user, password);
            c.setAutoCommit(false);
            return c;
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
        }
    }
}
