package dev.athanor.scaleout;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** The servers a test class runs against: started once per test run by {@link Servers}, torn down at its end. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Servers.class)
public @interface UsesServers {
    Topology[] value();
}
