/**
 * The pool SPI: what a connection-pool backend implements ({@link dev.athanor.spi.PoolProvider},
 * {@link dev.athanor.spi.PoolBackend}) and what it is given ({@link dev.athanor.spi.PoolSpec},
 * {@link dev.athanor.spi.ConnectionSource}), with the {@link dev.athanor.spi.Capabilities} it declares per
 * {@link dev.athanor.spi.Knob}. The contract test kit ({@code athanor-testkit}) certifies an implementation.
 */
package dev.athanor.spi;
