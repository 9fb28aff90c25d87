/**
 * The {@code dbcp} pool backend: Apache Commons DBCP2 and commons-pool2 behind Athanor's pool SPI. Select it with
 * {@code Engine.builder(url).pool("dbcp")}; see {@link dev.athanor.pool.dbcp.DbcpPoolProvider}.
 */
package dev.athanor.pool.dbcp;
