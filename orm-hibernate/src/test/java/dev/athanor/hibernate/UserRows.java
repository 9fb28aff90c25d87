package dev.athanor.hibernate;

import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** A MyBatis mapper over the Hibernate entities' users table, for units mixing both. */
public interface UserRows {
    @Select("SELECT count(*) FROM hb_users")
    long count();

    @Select("SELECT name FROM hb_users ORDER BY name")
    List<String> names();

    @Insert("INSERT INTO hb_users (id, name, email) VALUES (#{id}, #{name}, #{email})")
    int insert(@Param("id") long id, @Param("name") String name, @Param("email") String email);
}
