package dev.athanor.bench;

import dev.athanor.Result;
import dev.athanor.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pgbench-style script, run as one unit of work through an Athanor {@link Session}: {@code \set NAME EXPR} lines
 * (integers, {@code + - * / %}, parentheses, {@code :NAME} and the functions in {@link ScriptExpr#FUNCTIONS}) and SQL
 * statements ending in {@code ;} whose {@code :NAME} variables become Athanor's named parameters. {@code BEGIN} is
 * implied by the session's first statement, {@code END}/{@code COMMIT} commits, {@code ROLLBACK} rolls back, and
 * whatever is open when the script ends is committed. {@code :scale} and {@code :client_id} are set as in pgbench.
 *
 * <pre>{@code
 * WorkloadScript tpcb = WorkloadScript.load("tpcb").withTablePrefix("bench_x");
 * try (Session s = sessions.openSession()) { tpcb.run(s, tpcb.variables(1, 0)); }
 * }</pre>
 *
 * <p>The built-in {@code select} and {@code tpcb} are pgbench's own select-only and TPC-B-like scripts, word for
 * word; {@link #withTablePrefix} renames the pgbench tables in any script, so the same text runs in pgbench
 * ({@code -f}) and here against tables this run created.
 */
public final class WorkloadScript {
    /** The tables pgbench's scripts use; {@link #withTablePrefix} renames them. */
    static final Pattern PGBENCH_TABLES = Pattern.compile("(?i)\\bpgbench_(accounts|branches|tellers|history)\\b");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Variables pgbench sets itself, in their slots. */
    static final List<String> BUILT_IN = List.of("scale", "client_id");

    private final String name;
    private final String text;
    private final List<Step> steps;
    private final List<String> variables;

    /** One step of the unit: a {@code \set}, a statement, or the end of a transaction. */
    sealed interface Step permits Assign, Statement, Commit, Rollback {
    }

    record Assign(int slot, ScriptExpr expr) implements Step {
    }

    record Statement(String sql, String[] names, int[] slots) implements Step {
    }

    record Commit() implements Step {
    }

    record Rollback() implements Step {
    }

    private WorkloadScript(String name, String text, List<Step> steps, List<String> variables) {
        this.name = name;
        this.text = text;
        this.steps = steps;
        this.variables = variables;
    }

    /** {@code select}, {@code tpcb}, or the path of a script file; fails naming the problem and its line. */
    public static WorkloadScript load(String workload) {
        if (CompareOptions.WORKLOADS.contains(workload)) {
            try (InputStream in = WorkloadScript.class.getResourceAsStream("workloads/" + workload + ".sql")) {
                return parse(workload, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path file = Path.of(workload);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the workload script " + file.toAbsolutePath() + " does not exist"
                    + " (expected " + String.join(", ", CompareOptions.WORKLOADS) + " or a script file)");
        }
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the workload script " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Parses {@code text}; {@code name} (the file) starts every error message. */
    public static WorkloadScript parse(String name, String text) {
        List<Step> steps = new ArrayList<>();
        List<String> vars = new ArrayList<>(BUILT_IN);
        StringBuilder sql = new StringBuilder();
        int sqlLine = 0;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            String where = name + ":" + (i + 1) + ": ";
            if (trimmed.startsWith("\\")) {
                if (!sql.toString().isBlank()) {
                    throw new IllegalArgumentException(where + "a meta-command inside an unfinished SQL statement"
                            + " (the statement from line " + sqlLine + " needs a ';')");
                }
                steps.add(meta(trimmed, vars, where));
                continue;
            }
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            if (sql.toString().isBlank()) {
                sqlLine = i + 1;
            }
            boolean quoted = false;
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (ch == '\'') {
                    quoted = !quoted;
                }
                if (ch == ';' && !quoted) {
                    addStatement(steps, sql.toString(), vars, name + ":" + sqlLine + ": ");
                    sql.setLength(0);
                    sqlLine = i + 1;
                } else {
                    sql.append(ch);
                }
            }
            sql.append('\n');
        }
        addStatement(steps, sql.toString(), vars, name + ":" + sqlLine + ": ");
        if (steps.stream().noneMatch(s -> s instanceof Statement)) {
            throw new IllegalArgumentException(name + ": the script has no SQL statement");
        }
        return new WorkloadScript(name, text, List.copyOf(steps), List.copyOf(vars));
    }

    private static Step meta(String line, List<String> vars, String where) {
        String[] parts = line.split("\\s+", 3);
        if (!parts[0].equals("\\set")) {
            throw new IllegalArgumentException(where + "unsupported meta-command '" + parts[0] + "'; supported: \\set");
        }
        if (parts.length < 3 || !VARIABLE.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException(where + "expected \\set NAME EXPRESSION, was '" + line + "'");
        }
        ScriptExpr expr = ScriptExpr.parse(parts[2], vars, where);
        int slot = vars.indexOf(parts[1]);
        if (slot < 0) {
            vars.add(parts[1]);
            slot = vars.size() - 1;
        }
        return new Assign(slot, expr);
    }

    private static void addStatement(List<Step> steps, String sql, List<String> vars, String where) {
        String s = sql.strip();
        if (s.isEmpty()) {
            return;
        }
        String first = s.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        switch (first) {
            case "BEGIN", "START" -> {
                // the session begins a transaction at its first statement
            }
            case "END", "COMMIT" -> steps.add(new Commit());
            case "ROLLBACK", "ABORT" -> steps.add(new Rollback());
            default -> {
                List<String> names = new ArrayList<>();
                List<Integer> slots = new ArrayList<>();
                boolean quoted = false;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '\'' || c == '"') {
                        int end = s.indexOf(c, i + 1);
                        i = end < 0 ? s.length() : end;
                    } else if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == ':') {
                        i++;
                    } else if (c == ':') {
                        Matcher m = VARIABLE.matcher(s).region(i + 1, s.length());
                        if (m.lookingAt()) {
                            String v = m.group();
                            int slot = vars.indexOf(v);
                            if (slot < 0) {
                                throw new IllegalArgumentException(where + ":" + v + " is not set by a \\set before"
                                        + " this statement (set so far: " + String.join(", ", vars) + ")");
                            }
                            if (!names.contains(v)) {
                                names.add(v);
                                slots.add(slot);
                            }
                            i = m.end() - 1;
                        }
                    }
                }
                steps.add(new Statement(s, names.toArray(new String[0]),
                        slots.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
    }

    /** This script with pgbench's tables renamed {@code <prefix>_accounts} and so on; other text unchanged. */
    public WorkloadScript withTablePrefix(String prefix) {
        return parse(name, PGBENCH_TABLES.matcher(text).replaceAll(prefix + "_$1"));
    }

    /** True when the script names one of pgbench's tables, which this run then creates at {@code --scale}. */
    public boolean usesPgbenchTables() {
        return PGBENCH_TABLES.matcher(text).find();
    }

    public String name() {
        return name;
    }

    /** The script's text, as pgbench reads it. */
    public String text() {
        return text;
    }

    List<Step> steps() {
        return steps;
    }

    /** Fresh variables for one client: {@code :scale} and {@code :client_id} set, the others 0. */
    public long[] variables(int scale, int clientId) {
        long[] v = new long[variables.size()];
        v[0] = scale;
        v[1] = clientId;
        return v;
    }

    /** Runs the script once on {@code session}: one unit of work, committed at its end if still open. */
    public void run(Session session, long[] vars) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Step step : steps) {
            if (step instanceof Assign a) {
                vars[a.slot()] = a.expr().eval(vars, random);
            } else if (step instanceof Statement st) {
                Map<String, Object> params = new HashMap<>(st.names().length * 2);
                for (int i = 0; i < st.names().length; i++) {
                    params.put(st.names()[i], vars[st.slots()[i]]);
                }
                try (Result r = session.execute(st.sql(), params)) {
                    if (r.returnsRows()) {
                        r.all();
                    }
                }
            } else if (step instanceof Commit) {
                session.commit();
            } else {
                session.rollback();
            }
        }
        if (session.isActive()) {
            session.commit();
        }
    }
}
