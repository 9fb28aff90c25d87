package dev.athanor.bench;

import dev.athanor.Url;
import dev.athanor.internal.pool.EngineConnectionSource;
import dev.athanor.internal.pool.Listeners;
import dev.athanor.internal.pool.PoolProviders;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A backend adapter driven directly through the pool SPI, without the engine: checkout and checkin exactly as the
 * engine calls them, nothing else. Between the raw pool and a full engine it splits Athanor's overhead into the
 * adapter's share (SPI − raw) and the engine's (engine − SPI). A diagnostic, not a way to use Athanor.
 */
final class SpiPool implements AutoCloseable {
    private final PoolBackend backend;

    SpiPool(String backend, String url, PoolConfig cfg) {
        Backends.require(backend);
        PoolProvider provider = PoolProviders.find(backend);
        if (provider == null) {
            throw new IllegalStateException("pool '" + backend + "' is not on the classpath; available: "
                    + PoolProviders.names());
        }
        Url parsed = Url.parse(url);
        String name = "spi-" + backend;
        PoolSpec spec = PoolSpec.builder(name).poolSize(cfg.poolSize()).maxOverflow(cfg.maxOverflow())
                .poolTimeout(cfg.poolTimeout()).build();
        try {
            EngineConnectionSource source = new EngineConnectionSource(name, parsed.dialect(), parsed.jdbcUrl(),
                    parsed.toString(), DriverManager.getDriver(parsed.jdbcUrl()), parsed.driverProperties(), null,
                    new Listeners(name));
            this.backend = provider.create(spec, source);
        } catch (SQLException e) {
            throw new IllegalStateException("no driver for " + parsed, e);
        }
    }

    Connection checkout() throws SQLException {
        return backend.checkout();
    }

    void checkin(Connection c) throws SQLException {
        backend.checkin(c);
    }

    @Override
    public void close() {
        backend.close();
    }
}
