package dev.athanor.hibernate;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity asking for the second-level cache, which the builder refuses. */
@Entity
@Cacheable
public class CachedNote {
    @Id
    private Long id;
}
