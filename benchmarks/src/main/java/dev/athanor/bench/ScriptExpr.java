package dev.athanor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The integer expressions of pgbench's {@code \set}, compiled once to a tree: literals, {@code :NAME}, unary
 * minus, {@code + - * / %}, parentheses and the functions of {@link #FUNCTIONS}; {@code random(lo, hi)} is uniform
 * over both bounds, as in pgbench.
 */
@FunctionalInterface
interface ScriptExpr {
    /** The functions a script may call. */
    List<String> FUNCTIONS = List.of("random", "abs", "least", "greatest");

    long eval(long[] vars, RandomGenerator random);

    /** Parses {@code text} with variables resolved to slots of {@code vars}; {@code where} starts every error. */
    static ScriptExpr parse(String text, List<String> vars, String where) {
        Parser p = new Parser(text, vars, where);
        ScriptExpr e = p.sum();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos) + "'");
        }
        return e;
    }

    /** A recursive-descent parser over one expression. */
    final class Parser {
        private final String text;
        private final List<String> vars;
        private final String where;
        private int pos;

        Parser(String text, List<String> vars, String where) {
            this.text = text;
            this.vars = vars;
            this.where = where;
        }

        ScriptExpr sum() {
            ScriptExpr left = product();
            while (true) {
                char op = peek();
                if (op != '+' && op != '-') {
                    return left;
                }
                pos++;
                ScriptExpr l = left;
                ScriptExpr r = product();
                left = op == '+' ? (v, g) -> l.eval(v, g) + r.eval(v, g) : (v, g) -> l.eval(v, g) - r.eval(v, g);
            }
        }

        private ScriptExpr product() {
            ScriptExpr left = unary();
            while (true) {
                char op = peek();
                if (op != '*' && op != '/' && op != '%') {
                    return left;
                }
                pos++;
                ScriptExpr l = left;
                ScriptExpr r = unary();
                left = switch (op) {
                    case '*' -> (v, g) -> l.eval(v, g) * r.eval(v, g);
                    case '/' -> (v, g) -> l.eval(v, g) / r.eval(v, g);
                    default -> (v, g) -> l.eval(v, g) % r.eval(v, g);
                };
            }
        }

        private ScriptExpr unary() {
            if (peek() == '-') {
                pos++;
                ScriptExpr e = unary();
                return (v, g) -> -e.eval(v, g);
            }
            return primary();
        }

        private ScriptExpr primary() {
            char c = peek();
            if (c == '(') {
                pos++;
                ScriptExpr e = sum();
                expect(')');
                return e;
            }
            if (Character.isDigit(c)) {
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                long value = Long.parseLong(text.substring(start, pos));
                return (v, g) -> value;
            }
            if (c == ':') {
                pos++;
                String name = word();
                int slot = vars.indexOf(name);
                if (slot < 0) {
                    throw error(":" + name + " is not set before this line (set so far: " + String.join(", ", vars)
                            + ")");
                }
                return (v, g) -> v[slot];
            }
            if (Character.isLetter(c)) {
                return call(word());
            }
            throw error(c == 0 ? "the expression ends too early" : "unexpected '" + c + "'");
        }

        private ScriptExpr call(String function) {
            if (!FUNCTIONS.contains(function)) {
                throw error("unsupported function '" + function + "'; supported: " + String.join(", ", FUNCTIONS));
            }
            expect('(');
            List<ScriptExpr> args = new ArrayList<>();
            args.add(sum());
            while (peek() == ',') {
                pos++;
                args.add(sum());
            }
            expect(')');
            int n = args.size();
            ScriptExpr a = args.get(0);
            switch (function) {
                case "random" -> {
                    arity(function, n, 2);
                    ScriptExpr b = args.get(1);
                    return (v, g) -> {
                        long lo = a.eval(v, g);
                        long hi = b.eval(v, g);
                        if (hi < lo) {
                            throw new IllegalArgumentException("random(" + lo + ", " + hi + "): empty range");
                        }
                        return lo + g.nextLong(hi - lo + 1);
                    };
                }
                case "abs" -> {
                    arity(function, n, 1);
                    return (v, g) -> Math.abs(a.eval(v, g));
                }
                default -> {
                    boolean least = function.equals("least");
                    ScriptExpr[] all = args.toArray(new ScriptExpr[0]);
                    return (v, g) -> {
                        long r = all[0].eval(v, g);
                        for (int i = 1; i < all.length; i++) {
                            long x = all[i].eval(v, g);
                            r = least ? Math.min(r, x) : Math.max(r, x);
                        }
                        return r;
                    };
                }
            }
        }

        private void arity(String function, int n, int expected) {
            if (n != expected) {
                throw error(function + "() takes " + expected + " argument" + (expected == 1 ? "" : "s") + ", got "
                        + n);
            }
        }

        private String word() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a name");
            }
            return text.substring(start, pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        char peek() {
            skipSpace();
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(where + what + " in '" + text.strip() + "'");
        }
    }
}
