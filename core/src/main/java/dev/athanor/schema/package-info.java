/**
 * Tables as values: define them in code or reflect them from a database, then create or drop them all. SQLAlchemy's
 * {@code MetaData} / {@code Table} / {@code Column}, for DDL and introspection only (no query building).
 *
 * <pre>{@code
 * // one Engine and one MetaData per database, made once at start-up
 * Engine usersDb = Engine.create("postgresql://app@db1/users");
 * MetaData usersMeta = new MetaData();
 * usersMeta.table("users",
 *         Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
 *         Column.of("email", Type.varchar(100)).notNull().unique());
 * usersMeta.createAll(usersDb);
 *
 * Engine blogsDb = Engine.create("mariadb://app@db2/blogs");
 * MetaData blogsMeta = MetaData.reflect(blogsDb);          // an existing schema, read as it is
 * Table posts = blogsMeta.find("posts").orElseThrow();
 * }</pre>
 *
 * <p>Two ways to describe a table, one model:
 * <ul>
 *   <li><b>defined in code</b> ({@link dev.athanor.schema.MetaData#table}): works before the table exists, needs
 *       no metadata query, and the code is the schema, so it suits new applications, tests and
 *       {@link dev.athanor.schema.MetaData#createAll createAll}. In production, own such a schema with migrations
 *       (Flyway); {@code toDdl} gives a starting point for the first one.</li>
 *   <li><b>reflected</b> ({@link dev.athanor.schema.Table#reflect}, {@link dev.athanor.schema.MetaData#reflect}):
 *       follows the live database, so it suits existing databases and read-only use; changes are made in the
 *       database, and reading the metadata costs a few queries.</li>
 * </ul>
 * Both produce the same {@link dev.athanor.schema.Table}, which compares by value: see
 * {@link dev.athanor.schema.MetaData} for the round-trip rules and their documented exceptions.
 */
package dev.athanor.schema;
