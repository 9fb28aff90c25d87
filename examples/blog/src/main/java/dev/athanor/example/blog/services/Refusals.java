package dev.athanor.example.blog.services;

import dev.athanor.StatementException;

/** Turns a statement the database refused into what the client did wrong, when it is the client's doing. */
final class Refusals {
    private Refusals() {
    }

    /** True for a unique-constraint violation (SQLSTATE 23505 on PostgreSQL and H2, error 1062 on MariaDB). */
    static boolean duplicate(StatementException e) {
        return "23505".equals(e.sqlState()) || e.errorCode() == 1062;
    }

    /** True for a value the column cannot hold (SQLSTATE class 22: too long, out of range). */
    static boolean badValue(StatementException e) {
        return e.sqlState() != null && e.sqlState().startsWith("22");
    }
}
