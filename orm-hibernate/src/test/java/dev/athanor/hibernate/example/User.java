package dev.athanor.hibernate.example;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The seeds' user, on the users database. Ids come from a sequence so that Hibernate can batch the inserts. */
// README-BEGIN entity (the README's entity example: ReadmeExampleTest keeps them identical)
@Entity
@Table(name = "hb_users")
public class User {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hb_users_seq")
    @SequenceGenerator(name = "hb_users_seq", sequenceName = "hb_users_seq", allocationSize = 50)
    private Long id;

    @Column(nullable = false, length = 50)
    private String name;

    @Column(nullable = false, unique = true, length = 100)
    private String email;
    // constructors, getters and setters; Blog (id, userId, title) is alike, on @Table(name = "hb_blogs")
    // README-END

    protected User() {
    }

    public User(String name, String email) {
        this.name = name;
        this.email = email;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    @Override
    public String toString() {
        return "User[" + id + ", " + name + ", " + email + "]";
    }
}
