package dev.athanor.mybatis.example;

import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** An annotated mapper on the users database. */
public interface UserMapper {
    @Insert("INSERT INTO users (name, email) VALUES (#{name}, #{email})")
    @Options(useGeneratedKeys = true, keyProperty = "id")
    int insert(User user);

    @Select("SELECT id, name, email FROM users WHERE id = #{id}")
    User findById(long id);

    @Select("SELECT id, name, email FROM users ORDER BY id")
    List<User> findAll();

    @Select("SELECT count(*) FROM users")
    long count();

    @Update("UPDATE users SET email = #{email} WHERE id = #{id}")
    int updateEmail(@Param("id") long id, @Param("email") String email);
}
