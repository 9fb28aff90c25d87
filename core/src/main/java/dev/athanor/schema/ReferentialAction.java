package dev.athanor.schema;

/**
 * What a foreign key does to referencing rows when the referenced row is deleted.
 *
 * <p>{@link #NO_ACTION} is the SQL default. MariaDB and MySQL report a foreign key declared without {@code ON DELETE}
 * as {@link #RESTRICT}; Athanor therefore always writes the action out on those databases, so that a table it creates
 * reflects back with the action it was given.
 */
public enum ReferentialAction {
    /** Refuse the delete (checked at the end of the statement); the SQL default. */
    NO_ACTION("NO ACTION"),
    /** Refuse the delete at once. */
    RESTRICT("RESTRICT"),
    /** Delete the referencing rows too. */
    CASCADE("CASCADE"),
    /** Set the referencing columns to {@code NULL}. */
    SET_NULL("SET NULL"),
    /** Set the referencing columns to their defaults. */
    SET_DEFAULT("SET DEFAULT");

    private final String sql;

    ReferentialAction(String sql) {
        this.sql = sql;
    }

    /** The SQL words, e.g. {@code SET NULL}. */
    public String sql() {
        return sql;
    }

    /** The action for a {@link java.sql.DatabaseMetaData} {@code importedKey*} rule code. */
    static ReferentialAction fromJdbc(int rule) {
        switch (rule) {
            case java.sql.DatabaseMetaData.importedKeyCascade:
                return CASCADE;
            case java.sql.DatabaseMetaData.importedKeySetNull:
                return SET_NULL;
            case java.sql.DatabaseMetaData.importedKeySetDefault:
                return SET_DEFAULT;
            case java.sql.DatabaseMetaData.importedKeyRestrict:
                return RESTRICT;
            default:
                return NO_ACTION;
        }
    }
}
