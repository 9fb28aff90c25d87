package dev.athanor.mybatis.example;

import java.util.Objects;

/** A row of {@code blogs} in the blogs database: {@code Blog(id, userId, title)}. */
public class Blog {
    private Long id;
    private Long userId;
    private String title;

    public Blog() {
    }

    public Blog(Long userId, String title) {
        this.userId = userId;
        this.title = title;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public Long getUserId() {
        return userId;
    }

    public void setUserId(Long userId) {
        this.userId = userId;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blog && Objects.equals(id, ((Blog) o).id) && Objects.equals(userId, ((Blog) o).userId)
                && Objects.equals(title, ((Blog) o).title);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, userId, title);
    }

    @Override
    public String toString() {
        return "Blog(" + id + ", " + userId + ", " + title + ")";
    }
}
