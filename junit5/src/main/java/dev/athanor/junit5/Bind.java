package dev.athanor.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the bind an injected {@link dev.athanor.Engine} parameter is for; without it, the default bind's engine is
 * injected.
 *
 * <pre>{@code
 * @Test
 * void copiesAcross(Engine users, @Bind("blogs") Engine blogs) { … }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Bind {
    /** The bind's name, as given to {@link RollbackExtension#bind(String, String)}. */
    String value();
}
