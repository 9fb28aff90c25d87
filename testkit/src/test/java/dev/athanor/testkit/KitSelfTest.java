package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The kit tested the way the reactive-streams TCK is: against a correct reference backend, which must pass every
 * rule, and against deliberately broken ones, each of which must fail exactly the rules about its flaw. Runs the kit
 * with JUnit's EngineTestKit, with fidelity reports off.
 */
class KitSelfTest {

    static final class ReferenceContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "reference";
        }
    }

    static final class LeakyContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "leaky";
        }
    }

    static final class EagerContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "eager";
        }
    }

    static final class RetryingContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "retrying";
        }
    }

    static final class HoardingContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "hoarding";
        }
    }

    static final class ForgetfulContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "forgetful";
        }
    }

    static final class WrappingContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "wrapping";
        }
    }

    static final class FifoOnlyContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "fifo-only";
        }
    }

    static final class BraggartContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "braggart";
        }
    }

    static final class UndeclaredContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "undeclared";
        }
    }

    static final class MisnamedContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "no-such-pool";
        }
    }

    /** Runs {@code selectors} with the kit's reports off; returns the results. */
    static EngineExecutionResults run(DiscoverySelector... selectors) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectors)
                .configurationParameter("athanor.testkit.report", "false").execute();
    }

    /** The setup rules and every database-independent rule (on the stub) of {@code contract}. */
    static EngineExecutionResults onStub(Class<? extends PoolBackendContract> contract) {
        return run(selectNestedClass(List.of(contract), PoolBackendContract.Setup.class),
                selectNestedClass(List.of(contract), PoolBackendContract.OnStub.class));
    }

    /** The given groups of {@code contract}'s stub rules (the broken backends run only the groups about their flaw). */
    static EngineExecutionResults onStub(Class<? extends PoolBackendContract> contract, Class<?>... groups) {
        DiscoverySelector[] selectors = new DiscoverySelector[groups.length];
        for (int i = 0; i < groups.length; i++) {
            selectors[i] = selectNestedClass(List.of(contract, PoolBackendContract.OnStub.class), groups[i]);
        }
        return run(selectors);
    }

    static String id(Event e) {
        String name = e.getTestDescriptor().getDisplayName();
        return name.substring(0, name.indexOf(':'));
    }

    static Set<String> ids(java.util.stream.Stream<Event> events) {
        return events.map(KitSelfTest::id).collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<String, String> failures(EngineExecutionResults r) {
        Map<String, String> byId = new TreeMap<>();
        r.testEvents().failed().stream().forEach(e -> byId.put(id(e), e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("")));
        return byId;
    }

    static Map<String, String> aborted(EngineExecutionResults r) {
        Map<String, String> byId = new TreeMap<>();
        r.testEvents().aborted().stream().forEach(e -> byId.put(id(e), e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("")));
        return byId;
    }

    @Test
    void theReferenceBackendPassesEveryRuleOnEveryDatabase() {
        EngineExecutionResults r = run(selectClass(ReferenceContract.class));
        assertThat(failures(r)).as("rules the reference backend failed").isEmpty();
        Set<String> passed = ids(r.testEvents().succeeded().stream());
        Set<String> expected = new TreeSet<>(RuleCatalog.rules().keySet());
        expected.removeAll(aborted(r).keySet());
        assertThat(passed).as("rules the reference backend passed").containsAll(expected);
        assertThat(aborted(r)).as("rules not run for the reference backend (only virtual threads on an old JDK, or"
                + " a database that is not running here)").allSatisfy((id, why) -> assertThat(why)
                .containsAnyOf("virtual threads need Java 21", "is not reachable"));
    }

    @Test
    void aStoreThatDropsDiscardedConnectionsFailsTheRulesThatCloseThem() {
        EngineExecutionResults r = onStub(LeakyContract.class, PoolBackendContract.OnStub.Sizing.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsKeys("SIZE-4", "SIZE-5");
        assertThat(failed.get("SIZE-4")).startsWith("[SIZE-4] a connection returned while poolSize are idle is closed")
                .contains("expected 3 physical connections open").contains("If this fails, check that discard()");
        assertThat(failed.get("SIZE-3")).as("the leak check after every rule").contains("connection leak");
        assertThat(ids(r.testEvents().succeeded().stream())).as("no rule passes with a leak at its end").isEmpty();
    }

    @Test
    void aStoreThatOpensAheadOfDemandFailsLazyGrowth() {
        EngineExecutionResults r = onStub(EagerContract.class, PoolBackendContract.OnStub.Sizing.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsKeys("SIZE-1", "SIZE-2", "SIZE-3");
        assertThat(failed.get("SIZE-1")).contains("the pool must not fill itself")
                .contains("expected exactly 1 connections opened, found 2")
                .contains("take() opens a connection only when none is idle");
    }

    @Test
    void aStoreThatOpensAheadOfDemandFailsTheEventSequence() {
        EngineExecutionResults r = onStub(EagerContract.class, PoolBackendContract.OnStub.Events.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsKeys("EVT-6", "EVT-7");
        assertThat(failed.get("EVT-6")).contains("the events of").contains("\"connect\",\n    \"connect\"")
                .contains("take() reuses an idle connection before opening one");
        assertThat(ids(r.testEvents().succeeded().stream())).as("refused connects: nothing to open ahead of")
                .contains("EVT-8");
    }

    @Test
    void aStoreThatRetriesAFailedConnectFailsTheNoRetryRule() {
        EngineExecutionResults r = onStub(RetryingContract.class, PoolBackendContract.OnStub.FailedConnectWaiters.class,
                PoolBackendContract.OnStub.ConnectFailures.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsKey("CONN-3");
        assertThat(failed.get("CONN-3")).contains("not a connection from a retry").contains("take()");
        assertThat(ids(r.testEvents().succeeded().stream())).contains("CONN-1", "CONN-2");
    }

    @Test
    void aStoreWhoseDisposeClosesNothingFailsTheDisposeRule() {
        EngineExecutionResults r = onStub(HoardingContract.class, PoolBackendContract.OnStub.Dispose.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsOnlyKeys("DISP-1");
        assertThat(failed.get("DISP-1")).contains("after dispose() with every connection idle").contains("dispose()");
    }

    @Test
    void aStoreWhoseCloseForgetsBorrowedConnectionsFailsTheCloseRule() {
        EngineExecutionResults r = onStub(ForgetfulContract.class, PoolBackendContract.OnStub.Dispose.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsOnlyKeys("DISP-5");
        assertThat(failed.get("DISP-5")).contains("with 2 connections borrowed").contains("close()");
    }

    @Test
    void aStoreHandingOutItsOwnWrapperFailsEveryCheckoutAndSaysWhy() {
        EngineExecutionResults r = onStub(WrappingContract.class, PoolBackendContract.OnStub.StatusAndEvents.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsKeys("EVT-1", "EVT-4");
        assertThat(failed.get("EVT-4")).contains("does not unwrap to the one ConnectionSource.connect() returned")
                .contains("If this fails, check that what take() returns unwraps");
    }

    @Test
    void aStoreThatDeclaresLifoExactButIgnoresItFailsTheLifoRule() {
        EngineExecutionResults r = onStub(FifoOnlyContract.class, PoolBackendContract.OnStub.Lifo.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsOnlyKeys("LIFO-2");
        assertThat(failed.get("LIFO-2")).contains("with useLifo true the next checkout gets").contains("useLifo()");
        assertThat(ids(r.testEvents().succeeded().stream())).containsExactly("LIFO-1");
    }

    @Test
    void aStoreMissingItsDeclaredBoundFailsTheBoundedRule() {
        EngineExecutionResults r = onStub(BraggartContract.class, PoolBackendContract.OnStub.Sizing.class);
        Map<String, String> failed = failures(r);
        assertThat(failed).containsKey("SIZE-4");
        assertThat(failed.get("SIZE-4")).contains("within 250 ms (the declared APPROXIMATE bound)");
        assertThat(ids(r.testEvents().succeeded().stream())).contains("SIZE-1", "SIZE-2", "SIZE-3");
    }

    @Test
    void aProviderThatLeavesAKnobUndeclaredFailsSetupAndEveryRuleSaysWhy() {
        EngineExecutionResults r = onStub(UndeclaredContract.class, PoolBackendContract.OnStub.Sizing.class);
        assertThat(failures(r).get("SIZE-1")).contains("useLifo is not declared").contains("(SETUP-2)");
        EngineExecutionResults setup = run(selectNestedClass(List.of(UndeclaredContract.class),
                PoolBackendContract.Setup.class));
        Map<String, String> failed = failures(setup);
        assertThat(failed).containsKeys("SETUP-2", "SETUP-3");
        assertThat(failed.get("SETUP-2")).contains("[useLifo is not declared]");
        assertThat(failed.get("SETUP-3")).contains("useLifo is not declared");
    }

    @Test
    void aFailureNamesTheLeakFoundWhenTheRuleEnded() {
        EngineExecutionResults r = onStub(LeakyContract.class, PoolBackendContract.OnStub.StatusAndEvents.class);
        assertThat(failures(r).get("EVT-3")).contains("Also found when the rule ended")
                .contains("connection leak:");
    }

    @Test
    void aProviderThatIsNotFoundFailsSetupAndEveryRuleSaysWhy() {
        EngineExecutionResults r = onStub(MisnamedContract.class);
        Map<String, String> failed = failures(r);
        assertThat(failed.get("SETUP-1")).contains("no PoolProvider named 'no-such-pool'")
                .contains("META-INF/services/dev.athanor.spi.PoolProvider");
        assertThat(failed.get("SIZE-1")).contains("the kit's setup check failed");
        assertThat(r.testEvents().succeeded().count()).as("rules passed without a provider").isZero();
    }

    @Test
    void theNullPoolSkipsTheSizingRulesWithItsReasonAndPassesTheRest() {
        EngineExecutionResults r = onStub(NullContract.class);
        assertThat(failures(r)).as("rules core's null pool failed").isEmpty();
        Map<String, String> skipped = aborted(r);
        assertThat(skipped).containsKeys("SIZE-1", "SIZE-3", "TIME-1", "CONN-2", "STAT-1", "LIFO-1", "CONC-1");
        assertThat(skipped.get("SIZE-1")).isEqualTo("UNSUPPORTED by 'null' — poolSize: NullPool keeps no"
                + " connections, so there is nothing to size, wait for or reuse");
        assertThat(ids(r.testEvents().succeeded().stream())).contains("PING-1", "PING-4", "CONN-1", "RECY-1",
                "RESET-3", "EVT-1", "DISP-1", "CONC-2");
    }

    @Test
    void theStaticPoolSkipsTheSizingRulesWithItsReasonAndPassesTheRest() {
        EngineExecutionResults r = onStub(StaticContract.class);
        assertThat(failures(r)).as("rules core's static pool failed").isEmpty();
        assertThat(aborted(r).get("SIZE-2")).startsWith("UNSUPPORTED by 'static' — poolSize: StaticPool keeps"
                + " exactly one shared connection");
        assertThat(ids(r.testEvents().succeeded().stream())).contains("PING-2", "PING-3", "RECY-1", "DISP-2");
    }

    static final class NullContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "null";
        }
    }

    static final class StaticContract extends PoolBackendContract {
        @Override
        protected String providerName() {
            return "static";
        }
    }
}
