package dev.athanor.mybatis;

import dev.athanor.mybatis.example.User;

import java.util.List;
import org.apache.ibatis.annotations.CacheNamespace;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;

/** A mapper on the users database with a MyBatis second-level cache. */
@CacheNamespace
public interface CachedUserMapper {
    @Insert("INSERT INTO users (name, email) VALUES (#{name}, #{email})")
    int insert(User user);

    @Select("SELECT name FROM users ORDER BY id")
    List<String> names();
}
