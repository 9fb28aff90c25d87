/**
 * What pool adapters build on, first-party and third-party alike: a plain forwarding {@link
 * dev.athanor.spi.support.DelegatingConnection}, a {@link dev.athanor.spi.support.SimpleDataSource} to give a native
 * pool, and {@link dev.athanor.spi.support.ConnectFailures} for native pools that connect on threads of their own.
 * Nothing here is needed by applications.
 */
package dev.athanor.spi.support;
