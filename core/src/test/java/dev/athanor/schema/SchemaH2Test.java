package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import org.junit.jupiter.api.Test;

class SchemaH2Test extends AbstractSchemaTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    protected String vendorType() {
        return "REAL";
    }

    @Override
    protected Type vendorTypeReflected() {
        return Type.opaque("REAL");
    }

    @Test
    void anAllUpperCaseNameComesBackInLowerCase() {
        MetaData meta = new MetaData();
        meta.table("SHOUTING", Column.of("ID", Type.INTEGER).primaryKey());
        meta.createAll(engine);
        Table reflected = Table.reflect(engine, "shouting");
        assertThat(reflected.name()).isEqualTo("shouting");
        assertThat(reflected.columns()).extracting(Column::name).containsExactly("id");
        assertThat(Table.reflect(engine, "SHOUTING")).isEqualTo(reflected);
    }
}
