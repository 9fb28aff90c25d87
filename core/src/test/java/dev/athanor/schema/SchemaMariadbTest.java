package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.util.List;

import org.junit.jupiter.api.Test;

class SchemaMariadbTest extends AbstractSchemaTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected String vendorType() {
        return "TINYINT";
    }

    @Override
    protected Type vendorTypeReflected() {
        return Type.opaque("TINYINT");
    }

    @Override
    protected List<LiteralMode> literalModes() {
        return List.of(
                new LiteralMode("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'", true),
                new LiteralMode("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'", false));
    }

    @Test
    void documentedExceptionsOfMariadb() {
        engine.useTransaction(c -> {
            c.execute("CREATE TABLE " + p + "_raw (flag TINYINT(1), at TIMESTAMP NULL, id INT PRIMARY KEY)");
            c.execute("CREATE TABLE " + p + "_ref (id INT PRIMARY KEY, raw_id INT,"
                    + " FOREIGN KEY (raw_id) REFERENCES " + p + "_raw (id))");
        });
        try {
            Table raw = Table.reflect(engine, p + "_raw");
            assertThat(raw.column("flag").orElseThrow().type()).as("any TINYINT(1) is a boolean")
                    .isEqualTo(Type.BOOLEAN);
            assertThat(raw.column("at").orElseThrow().type()).as("TIMESTAMP is not DATETIME")
                    .isEqualTo(Type.opaque("TIMESTAMP"));
            assertThat(Table.reflect(engine, p + "_ref").foreignKeys()).singleElement()
                    .extracting(ForeignKey::onDelete).as("no ON DELETE means RESTRICT here")
                    .isEqualTo(ReferentialAction.RESTRICT);
        } finally {
            engine.useTransaction(c -> c.execute("DROP TABLE " + p + "_ref, " + p + "_raw"));
        }
    }
}
