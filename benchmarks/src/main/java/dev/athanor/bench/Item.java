package dev.athanor.bench;

/** A row of the benchmark's items table, as every query path maps it. */
public record Item(long id, String name, long amount) {
}
