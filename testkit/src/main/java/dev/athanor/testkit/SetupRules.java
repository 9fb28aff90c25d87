package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.ResetOnReturn;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolProvider;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The kit's own preconditions: the provider is found the way the engine finds it, and it declares every knob. */
abstract class SetupRules extends RuleGroup {

    SetupRules(PoolBackendContract contract) {
        super(contract, Target.ANY);
    }

    /**
     * The engine selects a backend by name through {@link java.util.ServiceLoader}; the kit does the same, so a
     * provider the kit finds is one users can select. If this fails, check that
     * {@code META-INF/services/dev.athanor.spi.PoolProvider} lists your provider class and that
     * {@code providerName()} returns {@code PoolProvider.name()}.
     */
    @Test
    @DisplayName("SETUP-1: the provider is found by name through ServiceLoader, exactly once")
    @ContractRule(id = "SETUP-1", check = "that META-INF/services/dev.athanor.spi.PoolProvider lists your provider"
            + " class, that it is on the test classpath, and that providerName() returns PoolProvider.name()")
    void providerIsFoundByName() {
        String problem = KitProviders.lookupProblem(backend());
        assertThat(problem).withFailMessage("%s", problem).isNull();
        PoolProvider provider = KitProviders.require(backend());
        assertThat(provider.name()).as("PoolProvider.name() must be lower case")
                .isEqualTo(provider.name().toLowerCase(Locale.ROOT));
        Engine engine = engine();
        assertThat(engine.backendName()).as("the engine built with .pool(\"%s\") uses", backend())
                .isEqualTo(backend());
    }

    /**
     * Every knob must be declared EXACT, APPROXIMATE with a positive bound and a note, or UNSUPPORTED with a reason:
     * the declaration is what the kit checks and what the README's table shows. If this fails, check
     * {@code PoolProvider.capabilities()}.
     */
    @Test
    @DisplayName("SETUP-2: capabilities declare every knob, with a bound for APPROXIMATE and a reason for UNSUPPORTED")
    @ContractRule(id = "SETUP-2", check = "PoolProvider.capabilities(): start from Capabilities.builder().allExact()"
            + " and set(...) the exceptions, giving APPROXIMATE a positive bound and UNSUPPORTED a reason")
    void everyKnobIsDeclared() {
        PoolProvider provider = KitProviders.require(backend());
        List<String> problems = KitProviders.declarationProblems(provider);
        assertThat(problems).withFailMessage("the capability declaration of '%s' is incomplete: %s", backend(),
                problems).isEmpty();
    }

    /**
     * A knob declared UNSUPPORTED is refused when a user sets it, with the backend's reason; every other knob can
     * be set. If this fails, check {@code PoolProvider.validate(PoolSpec)}: it must not refuse a knob the backend
     * declares EXACT or APPROXIMATE.
     */
    @Test
    @DisplayName("SETUP-3: an UNSUPPORTED knob is refused at build() with the reason; every other knob can be set")
    @ContractRule(id = "SETUP-3", check = "PoolProvider.validate(PoolSpec): it must accept every knob the backend"
            + " declares EXACT or APPROXIMATE")
    void unsupportedKnobsAreRefusedAndOthersAccepted() {
        for (Knob knob : Knob.values()) {
            Capability c = KitProviders.require(backend()).capabilities().get(knob);
            assertThat(c).withFailMessage("%s is not declared, so the kit cannot tell whether setting it must be"
                    + " refused (SETUP-2)", knob.optionName()).isNotNull();
            EngineBuilder b = setExplicitly(fx.builder(), knob);
            Throwable thrown = catchThrowable(() -> b.build().close());
            if (c.fidelity() == Fidelity.UNSUPPORTED) {
                assertThat(thrown).as("setting UNSUPPORTED %s must be refused at build()", knob.optionName())
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining(knob.optionName()).hasMessageContaining(c.note());
            } else {
                assertThat(thrown).as("setting %s (declared %s) must be accepted", knob.optionName(), c.fidelity())
                        .isNull();
            }
        }
    }

    /** Sets {@code knob} to its default value, explicitly. */
    static EngineBuilder setExplicitly(EngineBuilder b, Knob knob) {
        switch (knob) {
            case POOL_SIZE:
                return b.poolSize(5);
            case MAX_OVERFLOW:
                return b.maxOverflow(10);
            case POOL_TIMEOUT:
                return b.poolTimeout(Duration.ofSeconds(30));
            case POOL_RECYCLE:
                return b.poolRecycle(Duration.ofHours(1));
            case PRE_PING:
                return b.poolPrePing(false);
            case RESET_ON_RETURN:
                return b.resetOnReturn(ResetOnReturn.ROLLBACK);
            case USE_LIFO:
                return b.useLifo(false);
            default:
                throw new IllegalArgumentException(knob.toString());
        }
    }
}
