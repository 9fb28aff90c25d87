package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.stub.StubDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionFactoryBuilderTest {
    private Engine engine;
    private Engine other;

    @BeforeEach
    void setUp() {
        engine = Engine.builder(StubDatabase.fresh().url()).poolName("app").build();
        other = Engine.builder(StubDatabase.fresh().url()).poolName("other").build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        other.close();
    }

    @Test
    void buildReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> SessionFactory.builder().bind(" ", engine).bind("blogs", null).name("")
                .leakDetection(null).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "bind name must not be empty, was ' '",
                        "bind 'blogs' needs an engine, was null",
                        "name must not be blank, was ''",
                        "leakDetection must be one of OFF, WARN, WARN_WITH_STACK, was null"));
    }

    @Test
    void aFactoryNeedsAnOpenEngine() {
        assertThatThrownBy(() -> SessionFactory.builder().build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no engine is bound");
        other.close();
        assertThatThrownBy(() -> SessionFactory.builder().bind(engine).bind("old", other).build())
                .hasMessageContaining("the engine of bind 'old' (other) is closed");
    }

    @Test
    void bindsKeepTheirOrderAndTheNameComesFromTheDefaultEngine() {
        SessionFactory f = SessionFactory.builder().bind("blogs", other).bind(engine).build();
        assertThat(f.bindNames()).containsExactly("blogs", "default");
        assertThat(f.name()).isEqualTo("app");
        assertThat(f.engine()).isSameAs(engine);
        assertThat(f.engine("blogs")).isSameAs(other);
        assertThat(SessionFactory.builder().bind(engine).name("web").build().name()).isEqualTo("web");
    }

    @Test
    void toBuilderDerivesAConfiguredCopyAndLeavesTheOriginalAlone() {
        SessionFactory base = SessionFactory.builder().bind(engine).bind("blogs", other).build();
        SessionFactory swapped = base.toBuilder().bind(other).readOnly(true).build();
        assertThat(swapped.bindNames()).as("rebinding keeps the commit order").containsExactly("default", "blogs");
        assertThat(swapped.engine()).isSameAs(other);
        assertThat(base.engine()).isSameAs(engine);
        assertThat(swapped.readOnlyDefault()).isTrue();
        assertThat(base.readOnlyDefault()).isNull();
    }
}
