/**
 * Micrometer meters for Athanor: {@link dev.athanor.micrometer.AthanorMetrics} binds one engine's pool meters
 * (OpenTelemetry's {@code db.client.connection.*} names, plus {@code athanor.pool.*}), and
 * {@link dev.athanor.micrometer.SessionMetrics} a session factory's engines and its session meters
 * ({@code athanor.session.*}). Everything is measured by the engine, the same way on every pool backend.
 *
 * <pre>{@code
 * new AthanorMetrics(engine).bindTo(registry);
 * SessionFactory sessions = AthanorMetrics.bindTo(factory, registry).sessions();
 * }</pre>
 */
package dev.athanor.micrometer;
