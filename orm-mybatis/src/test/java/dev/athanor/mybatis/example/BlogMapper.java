package dev.athanor.mybatis.example;

import java.util.List;

/** A mapper on the blogs database whose SQL is in {@code BlogMapper.xml} beside it. */
public interface BlogMapper {
    int insert(Blog blog);

    List<Blog> findByUser(long userId);

    long count();
}
