package dev.athanor.internal;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps secrets and hidden bound values out of a driver exception that Athanor keeps as a cause. Drivers quote bound
 * values in their messages (PostgreSQL's "Key (email)=(...) already exists", MariaDB's "Duplicate entry '...'",
 * H2's "VALUES ('...')"), and a cause is printed with every stack trace, so scrubbing only Athanor's own message is
 * not enough. A chain that shows nothing to hide is kept as it is (with the driver's own exception classes); one that
 * does is replaced by copies of the standard {@code java.sql} class nearest to each original, with the same SQLState,
 * vendor code and stack trace, the original class named at the start of the message, and every hidden text replaced
 * by {@code ***}.
 */
public final class Redactor {
    /** Values shorter than this are not redacted from free text: replacing every "ab" would garble messages. */
    private static final int MIN_LENGTH = 3;
    /** A value this long is also hidden where a driver cut it short (MariaDB quotes 64 characters of a key). */
    private static final int MIN_PREFIX = 16;

    private final Secrets secrets;
    private final List<String> values;

    private Redactor(Secrets secrets, List<String> values) {
        this.secrets = secrets;
        this.values = values;
    }

    /**
     * Hides {@code secrets} and, when {@code hiddenValues} is not null, the text of every bound value in it (strings,
     * numbers, dates... — anything but booleans, bytes and nulls).
     */
    public static Redactor of(Secrets secrets, Iterable<?> hiddenValues) {
        List<String> texts = new ArrayList<>();
        if (hiddenValues != null) {
            for (Object v : hiddenValues) {
                if (v == null || v instanceof Boolean || v instanceof byte[]) {
                    continue;
                }
                String text = String.valueOf(v);
                if (text.length() >= MIN_LENGTH && !texts.contains(text)) {
                    texts.add(text);
                }
            }
        }
        texts.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(secrets, texts);
    }

    /** {@code text} with every secret and hidden value replaced by {@code ***}. */
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = secrets.scrub(text);
        for (String v : values) {
            out = hide(out, v);
        }
        return out;
    }

    /** Replaces {@code value}, and any run of at least {@link #MIN_PREFIX} of its first characters, in {@code text}. */
    private static String hide(String text, String value) {
        if (value.length() < MIN_PREFIX) {
            return text.contains(value) ? text.replace(value, "***") : text;
        }
        String head = value.substring(0, MIN_PREFIX);
        int at = text.indexOf(head);
        if (at < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            int end = at + MIN_PREFIX;
            while (end < text.length() && end - at < value.length() && text.charAt(end) == value.charAt(end - at)) {
                end++;
            }
            out.append(text, from, at).append("***");
            from = end;
            at = text.indexOf(head, end);
        }
        return out.append(text, from, text.length()).toString();
    }

    /** {@code e} itself when nothing in its chain shows a hidden text, else a redacted copy of the chain. */
    public SQLException redact(SQLException e) {
        if (e == null || !shows(e, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return e;
        }
        return (SQLException) copy(e, new IdentityHashMap<>());
    }

    private boolean shows(Throwable t, java.util.Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        String message = t.getMessage();
        if (message != null && !message.equals(apply(message))) {
            return true;
        }
        if (shows(t.getCause(), seen)
                || t instanceof SQLException s && s.getNextException() != null && shows(s.getNextException(), seen)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (shows(s, seen)) {
                return true;
            }
        }
        return false;
    }

    private Throwable copy(Throwable t, Map<Throwable, Throwable> done) {
        if (t == null) {
            return null;
        }
        Throwable known = done.get(t);
        if (known != null) {
            return known;
        }
        String message = t.getClass().getName() + ": " + apply(t.getMessage());
        Throwable c = t instanceof SQLException s ? sqlCopy(s, message) : new Exception(message);
        done.put(t, c);
        c.setStackTrace(t.getStackTrace());
        Throwable cause = copy(t.getCause(), done);
        if (cause != null) {
            c.initCause(cause);
        }
        for (Throwable s : t.getSuppressed()) {
            c.addSuppressed(copy(s, done));
        }
        if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != s.getCause()) {
            ((SQLException) c).setNextException((SQLException) copy(s.getNextException(), done));
        }
        return c;
    }

    /** A copy of the standard class nearest to {@code e}'s, so that {@code instanceof} checks still hold. */
    private static SQLException sqlCopy(SQLException e, String message) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        if (e instanceof SQLNonTransientConnectionException) {
            return new SQLNonTransientConnectionException(message, state, code);
        } else if (e instanceof SQLIntegrityConstraintViolationException) {
            return new SQLIntegrityConstraintViolationException(message, state, code);
        } else if (e instanceof SQLSyntaxErrorException) {
            return new SQLSyntaxErrorException(message, state, code);
        } else if (e instanceof SQLDataException) {
            return new SQLDataException(message, state, code);
        } else if (e instanceof SQLFeatureNotSupportedException) {
            return new SQLFeatureNotSupportedException(message, state, code);
        } else if (e instanceof SQLInvalidAuthorizationSpecException) {
            return new SQLInvalidAuthorizationSpecException(message, state, code);
        } else if (e instanceof SQLNonTransientException) {
            return new SQLNonTransientException(message, state, code);
        } else if (e instanceof SQLTransientConnectionException) {
            return new SQLTransientConnectionException(message, state, code);
        } else if (e instanceof SQLTimeoutException) {
            return new SQLTimeoutException(message, state, code);
        } else if (e instanceof SQLTransactionRollbackException) {
            return new SQLTransactionRollbackException(message, state, code);
        } else if (e instanceof SQLTransientException) {
            return new SQLTransientException(message, state, code);
        } else if (e instanceof SQLRecoverableException) {
            return new SQLRecoverableException(message, state, code);
        }
        return new SQLException(message, state, code);
    }
}
