package dev.athanor.schema;

import dev.athanor.AthanorException;

/**
 * {@link Table#reflect(dev.athanor.Engine, String)} found no table of that name (SQLAlchemy's
 * {@code NoSuchTableError}). The message names the engine, the table and where it looked.
 */
public class NoSuchTableException extends AthanorException {
    private static final long serialVersionUID = 1L;

    public NoSuchTableException(String message) {
        super(message);
    }
}
