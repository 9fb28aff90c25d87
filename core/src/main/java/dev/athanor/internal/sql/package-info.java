/** SQL text handling: the {@code :name} bind parser. Not API. */
package dev.athanor.internal.sql;
