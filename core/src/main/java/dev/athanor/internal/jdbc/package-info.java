/** JDBC wrappers the engine puts around physical connections. Not API. */
package dev.athanor.internal.jdbc;
