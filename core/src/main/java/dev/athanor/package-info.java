/**
 * Athanor's public API: {@link dev.athanor.Engine} (one per database, owns the pool), {@link dev.athanor.Connection}
 * (commit-as-you-go), {@link dev.athanor.Result} and {@link dev.athanor.Row}, {@link dev.athanor.Url}, and the
 * exceptions under {@link dev.athanor.AthanorException}.
 *
 * <pre>{@code
 * Engine engine = Engine.create("h2:mem:demo");
 * engine.useTransaction(c -> c.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50))"));
 * }</pre>
 */
package dev.athanor;
