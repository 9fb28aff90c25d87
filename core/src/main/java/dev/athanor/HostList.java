package dev.athanor;

import java.util.ArrayList;
import java.util.List;

/**
 * The multi-host parts of a {@code dialect://} URL: splitting {@code h1:5434,h2:5435} into hosts, and the drivers'
 * failover parameters that Athanor checks rather than passes on blindly ({@code haMode} for MariaDB Connector/J,
 * {@code targetServerType} for pgjdbc), so that a typo is a {@link ConfigurationException} at build time instead of
 * a driver error at the first connect, or worse, a silently ignored property.
 */
final class HostList {
    /** MariaDB Connector/J's HA modes that Athanor maps to {@code jdbc:mariadb:<mode>://}. */
    static final List<String> HA_MODES = List.of("sequential", "loadbalance");
    /** pgjdbc's {@code targetServerType} values ({@code master}, {@code slave}, {@code preferSlave}: old names). */
    static final List<String> TARGET_SERVER_TYPES = List.of("any", "primary", "secondary", "preferPrimary",
            "preferSecondary", "master", "slave", "preferSlave");

    private HostList() {
    }

    /** The {@code [from, to)} ranges of the comma-separated hosts in {@code text[from, to)} (not inside []). */
    static List<int[]> split(String text, int from, int to) {
        List<int[]> parts = new ArrayList<>(2);
        int start = from;
        boolean bracket = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '[') {
                bracket = true;
            } else if (c == ']') {
                bracket = false;
            } else if (c == ',' && !bracket) {
                parts.add(new int[] {start, i});
                start = i + 1;
            }
        }
        parts.add(new int[] {start, to});
        return parts;
    }

    /**
     * Checks the failover parameters against the hosts and the driver, takes {@code haMode} out of the driver
     * properties (it is part of the JDBC URL, not a property) and returns it (one of {@link #HA_MODES}), or
     * {@code null}.
     */
    static String haMode(UrlParser p, String subprotocol) {
        String mode = p.query.remove("haMode");
        boolean several = p.hosts.size() > 1;
        if (mode != null) {
            if (!subprotocol.equals("mariadb")) {
                throw p.failure("query parameter 'haMode' is MariaDB Connector/J's (write mariadb:// or "
                        + "mysql+mariadb://)" + (p.dialect == Dialect.POSTGRESQL
                        ? "; for PostgreSQL give several hosts with targetServerType=primary (valid: "
                        + String.join(", ", TARGET_SERVER_TYPES) + ")" : "; the " + subprotocol + " driver takes"
                        + " several hosts without it"));
            }
            if (!HA_MODES.contains(mode)) {
                throw p.failure("haMode '" + UrlCodec.quoted(mode) + "' is not supported; valid: "
                        + String.join(", ", HA_MODES));
            }
        } else if (several && subprotocol.equals("mariadb")) {
            throw p.failure("several hosts need query parameter haMode for MariaDB Connector/J; valid: "
                    + String.join(", ", HA_MODES) + " (as in mariadb://h1:3307,h2:3308/db?haMode=sequential)");
        }
        String target = p.query.get("targetServerType");
        if (target != null && p.dialect == Dialect.POSTGRESQL && !TARGET_SERVER_TYPES.contains(target)) {
            throw p.failure("targetServerType '" + UrlCodec.quoted(target) + "' is not one of pgjdbc's; valid: "
                    + String.join(", ", TARGET_SERVER_TYPES));
        }
        return mode;
    }
}
