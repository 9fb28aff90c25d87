package dev.athanor.bench;

import javax.sql.DataSource;

/** A native pool (HikariCP, DBCP2, c3p0) used directly, without Athanor: the baseline Athanor is measured against. */
public interface RawPool extends AutoCloseable {

    /** The pool as the DataSource a user of that library would hold. */
    DataSource dataSource();

    /** The library's name for the report. */
    String backend();

    @Override
    void close();
}
