package dev.athanor;

import java.util.List;

/**
 * A bad URL, option or definition. The message names the option, the bad value and what is allowed; when several
 * problems were found at once (an engine {@code build()}), all of them are listed in {@link #problems()}.
 */
public class ConfigurationException extends AthanorException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigurationException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /**
     * One exception for several problems: the message is {@code prefix} followed by every problem, "; "-separated.
     */
    public ConfigurationException(String prefix, List<String> problems) {
        super(prefix + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem found, in the order they were found; a single-problem exception has one entry. */
    public List<String> problems() {
        return problems;
    }
}
