package dev.athanor.hibernate.example;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The seeds' blog post, on the blogs database: it names its user by id (the user lives in another database). */
@Entity
@Table(name = "hb_blogs")
public class Blog {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hb_blogs_seq")
    @SequenceGenerator(name = "hb_blogs_seq", sequenceName = "hb_blogs_seq", allocationSize = 50)
    private Long id;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(nullable = false, length = 200)
    private String title;

    protected Blog() {
    }

    public Blog(long userId, String title) {
        this.userId = userId;
        this.title = title;
    }

    public Long getId() {
        return id;
    }

    public long getUserId() {
        return userId;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    @Override
    public String toString() {
        return "Blog[" + id + ", user " + userId + ", " + title + "]";
    }
}
