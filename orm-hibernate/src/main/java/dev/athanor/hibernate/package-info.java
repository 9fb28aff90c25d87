/**
 * Hibernate ORM hosted inside Athanor sessions: JPA entities with Hibernate's unit of work (identity map, dirty
 * checking, flush at commit) in the Athanor session's transaction, one Hibernate session factory per bind. Start at
 * {@link dev.athanor.hibernate.HibernateSessionFactory}.
 */
package dev.athanor.hibernate;
