package dev.athanor.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a test (or every test of a class) out of the rollback: {@link RollbackExtension} gives it engines with real
 * transactions, on the pools its options name, so what it commits stays in the database. The test must clean up what
 * it committed (delete its rows, drop its tables), or later tests see it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Commit {
}
