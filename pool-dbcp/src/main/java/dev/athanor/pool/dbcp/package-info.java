/** The {@code dbcp} pool: Apache Commons DBCP2 and commons-pool2 as the store under the engine's pool rules. */
package dev.athanor.pool.dbcp;
