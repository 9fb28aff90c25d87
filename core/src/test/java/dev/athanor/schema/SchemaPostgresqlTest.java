package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.util.List;

import org.junit.jupiter.api.Test;

class SchemaPostgresqlTest extends AbstractSchemaTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected String vendorType() {
        return "inet";
    }

    @Override
    protected Type vendorTypeReflected() {
        return Type.opaque("inet");
    }

    @Override
    protected List<LiteralMode> literalModes() {
        return List.of(
                new LiteralMode("SET standard_conforming_strings = on", false),
                new LiteralMode("SET standard_conforming_strings = off", true));
    }

    @Test
    void postgresqlTypesWithoutLimitsAndSerials() {
        engine.useTransaction(c -> c.execute("CREATE TABLE " + p + "_raw (id SERIAL PRIMARY KEY, s VARCHAR,"
                + " n NUMERIC, r REAL, at TIMESTAMPTZ DEFAULT now(), tags TEXT[])"));
        try {
            Table raw = Table.reflect(engine, p + "_raw");
            assertThat(raw).isEqualTo(Table.of(p + "_raw",
                    Column.of("id", Type.INTEGER).primaryKey().autoIncrement(),
                    Column.of("s", Type.TEXT),
                    Column.of("n", Type.opaque("numeric")),
                    Column.of("r", Type.opaque("float4")),
                    Column.of("at", Type.TIMESTAMP_TZ).defaultExpression("CURRENT_TIMESTAMP"),
                    Column.of("tags", Type.opaque("_text"))));
        } finally {
            engine.useTransaction(c -> c.execute("DROP TABLE " + p + "_raw"));
        }
    }
}
