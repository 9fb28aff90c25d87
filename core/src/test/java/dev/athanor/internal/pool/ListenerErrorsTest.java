package dev.athanor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolListener;
import dev.athanor.testing.stub.StubDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener's {@link Error} from the events fired outside a checkout and checkin (the contract kit's EVT-5 covers
 * those on every backend): the connection it concerns is closed, never left open on the server, and the Error
 * reaches the caller. On core's null pool over the stub.
 */
class ListenerErrorsTest {
    private StubDatabase db;
    private Engine engine;

    @BeforeEach
    void setUp() {
        db = StubDatabase.fresh();
        engine = Engine.builder(db.url()).pool("null").build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        assertThat(db.openNow()).as("physical connections left open").isZero();
    }

    @Test
    void anErrorFromOnConnectClosesTheNewConnectionAndPropagates() {
        AssertionError boom = new AssertionError("onConnect");
        engine.addListener(new PoolListener() {
            @Override
            public void onConnect(java.sql.Connection physical) {
                throw boom;
            }
        });
        assertThat(catchThrowable(engine::connect)).isSameAs(boom);
        assertThat(db.openNow()).as("the connection whose onConnect threw").isZero();
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void anErrorFromOnInvalidateStillDiscardsTheConnection() {
        AssertionError boom = new AssertionError("onInvalidate");
        engine.addListener(new PoolListener() {
            @Override
            public void onInvalidate(java.sql.Connection pooled, Throwable cause) {
                throw boom;
            }
        });
        Connection c = engine.connect();
        assertThat(catchThrowable(c::invalidate)).isSameAs(boom);
        assertThat(db.openNow()).as("the invalidated connection").isZero();
        assertThat(engine.status().checkedOut()).isZero();
    }
}
