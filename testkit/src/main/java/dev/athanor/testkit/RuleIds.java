package dev.athanor.testkit;

import java.util.List;
import java.util.Locale;

/** Rule id groups in the order the reports list them. */
final class RuleIds {
    /** Group prefixes, in report order. */
    static final List<String> GROUPS = List.of("SETUP", "SIZE", "TIME", "RECY", "PING", "CONN", "RESET", "STAT", "EVT",
            "DISP", "HAND", "CONC", "LIFO", "LEAK", "LIMIT");

    private RuleIds() {
    }

    /** A key that sorts {@code SIZE-2} before {@code SIZE-10} and groups in {@link #GROUPS} order. */
    static String sortKey(String id) {
        int dash = id.lastIndexOf('-');
        String group = dash < 0 ? id : id.substring(0, dash);
        int g = GROUPS.indexOf(group);
        int n;
        try {
            n = dash < 0 ? 0 : Integer.parseInt(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            n = 0;
        }
        return String.format(Locale.ROOT, "%02d-%s-%04d", g < 0 ? 99 : g, group, n);
    }
}
