package dev.athanor.testkit;

/**
 * Where a rule runs: the stub driver, a real database, or nowhere in particular (the setup rules). Free of test
 * dependencies, so that {@link FidelityTable} runs on the kit's classes alone.
 */
enum Target {
    ANY("setup"),
    STUB("stub"),
    H2("H2"),
    POSTGRESQL("PostgreSQL"),
    MARIADB("MariaDB");

    private final String label;

    Target(String label) {
        this.label = label;
    }

    /** The column name in the fidelity reports. */
    String label() {
        return label;
    }

    static Target fromLabel(String label) {
        for (Target t : values()) {
            if (t.label.equalsIgnoreCase(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + label + "'");
    }
}
