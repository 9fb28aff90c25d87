/**
 * Request-scoped sessions for Jakarta Servlet 6 applications: {@link dev.athanor.web.RequestSessions} gives each
 * HTTP request its own unit of work, ended (committed or rolled back, then closed) by
 * {@link dev.athanor.web.SessionFilter} when the request ends.
 */
package dev.athanor.web;
