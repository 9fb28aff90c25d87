package dev.athanor.mybatis.example;

import java.util.Objects;

/** A row of {@code users} in the users database (the seeds' {@code User(id, name, email)}). */
public class User {
    private Long id;
    private String name;
    private String email;

    public User() {
    }

    public User(String name, String email) {
        this.name = name;
        this.email = email;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
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
    public boolean equals(Object o) {
        return o instanceof User && Objects.equals(id, ((User) o).id) && Objects.equals(name, ((User) o).name)
                && Objects.equals(email, ((User) o).email);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, email);
    }

    @Override
    public String toString() {
        return "User(" + id + ", " + name + ", " + email + ")";
    }
}
