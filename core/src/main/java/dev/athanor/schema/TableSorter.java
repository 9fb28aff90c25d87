package dev.athanor.schema;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Orders tables so that each comes after the tables its foreign keys reference (drop in reverse). Foreign keys inside
 * a cycle of two or more tables cannot be written inline by any order; they are set aside ({@link Plan#deferred}) to
 * be added with ALTER TABLE once all tables exist, as SQLAlchemy does. A table referencing itself needs nothing
 * special. Ties keep declaration order, so the output is deterministic.
 */
final class TableSorter {
    private TableSorter() {
    }

    /** The creation order, and per table (by lower-case name) the foreign keys to add after all CREATE TABLEs. */
    record Plan(List<Table> order, Map<String, List<ForeignKey>> deferred, List<List<String>> cycles) {
        List<ForeignKey> deferredOf(Table t) {
            return deferred.getOrDefault(key(t.name()), List.of());
        }
    }

    static Plan plan(List<Table> tables) {
        Map<String, Table> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(key(t.name()), t));
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (Table t : tables) {
            Set<String> ps = new LinkedHashSet<>();
            for (ForeignKey fk : t.foreignKeys()) {
                String p = key(fk.referencedTable());
                if (byName.containsKey(p) && !p.equals(key(t.name()))) {
                    ps.add(p);
                }
            }
            parents.put(key(t.name()), ps);
        }

        List<List<String>> cycles = new ArrayList<>();
        Map<String, Integer> component = components(parents, cycles);
        Map<String, List<ForeignKey>> deferred = new HashMap<>();
        for (Table t : tables) {
            String child = key(t.name());
            for (ForeignKey fk : t.foreignKeys()) {
                String p = key(fk.referencedTable());
                if (!p.equals(child) && byName.containsKey(p) && component.get(p).equals(component.get(child))) {
                    ForeignKey named = fk.name() != null ? fk
                            : fk.named(Identifiers.generated("fk", t.name(), fk.columns()));
                    deferred.computeIfAbsent(child, k -> new ArrayList<>()).add(named);
                    parents.get(child).remove(p);
                }
            }
        }

        List<Table> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (order.size() < tables.size()) {
            int before = order.size();
            for (Table t : tables) {
                String k = key(t.name());
                if (!placed.contains(k) && placed.containsAll(parents.get(k))) {
                    placed.add(k);
                    order.add(t);
                    break;
                }
            }
            if (order.size() == before) {
                // Cannot happen: every edge left is between different components, which form no cycle.
                throw new IllegalStateException("no table can be placed after " + placed);
            }
        }
        return new Plan(List.copyOf(order), deferred, cycles);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Tarjan's strongly connected components: component id per table; components of 2+ tables go to cycles. */
    private static Map<String, Integer> components(Map<String, Set<String>> edges, List<List<String>> cycles) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Map<String, Integer> comp = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        int[] counter = {0, 0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, edges, index, low, comp, stack, onStack, counter, cycles);
            }
        }
        return comp;
    }

    private static void strongConnect(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Map<String, Integer> comp, Deque<String> stack, Set<String> onStack,
            int[] counter, List<List<String>> cycles) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.get(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, edges, index, low, comp, stack, onStack, counter, cycles);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> members = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                comp.put(w, counter[1]);
                members.add(w);
            } while (!w.equals(v));
            counter[1]++;
            if (members.size() > 1) {
                cycles.add(List.copyOf(members));
            }
        }
    }
}
