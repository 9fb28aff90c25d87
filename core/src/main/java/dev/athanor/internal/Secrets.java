package dev.athanor.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes an engine's password from text that may echo it back (driver messages, rendered parameter values). The
 * URL itself is always rendered masked; this is the second line of defence. An engine may know its password from
 * several places (the URL, a raw URL's text, a {@code password} connect arg): each one is scrubbed.
 */
public final class Secrets {
    /** Passwords shorter than this are not scrubbed from free text: replacing every "ab" would garble messages. */
    private static final int MIN_SCRUB_LENGTH = 3;
    private static final Secrets NONE = new Secrets(List.of());

    /** Longest first, so that a password containing another is replaced whole. */
    private final List<String> passwords;

    private Secrets(List<String> passwords) {
        this.passwords = passwords;
    }

    public static Secrets of(String password) {
        return ofAll(Arrays.asList(password));
    }

    /** Secrets for every non-null password of at least three characters in {@code passwords}. */
    public static Secrets ofAll(Collection<String> passwords) {
        // A set: a URL may hold thousands of password-like parameters, and a list's contains() made this quadratic.
        Set<String> distinct = new LinkedHashSet<>();
        for (String p : passwords) {
            if (p != null && p.length() >= MIN_SCRUB_LENGTH) {
                distinct.add(p);
            }
        }
        List<String> kept = new ArrayList<>(distinct);
        if (kept.isEmpty()) {
            return NONE;
        }
        kept.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(kept));
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String p : passwords) {
            if (out.contains(p)) {
                out = out.replace(p, "***");
            }
        }
        return out;
    }
}
