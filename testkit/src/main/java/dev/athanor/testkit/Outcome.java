package dev.athanor.testkit;

/** What one rule did on one backend and database, as the fidelity report records it. */
enum Outcome {
    /** The rule holds exactly. */
    PASS("pass"),
    /** The rule's knob is declared APPROXIMATE and the rule held within the declared bound. */
    BOUND("bound"),
    /** The rule's knob is declared UNSUPPORTED; the detail is the backend's reason. */
    UNSUPPORTED("unsupported"),
    /** The rule could not run here (database unreachable, no virtual threads); says nothing about the backend. */
    SKIPPED("skipped"),
    /** The rule failed. */
    FAIL("FAIL");

    private final String word;

    Outcome(String word) {
        this.word = word;
    }

    /** The word in the Markdown tables. */
    String word() {
        return word;
    }
}
