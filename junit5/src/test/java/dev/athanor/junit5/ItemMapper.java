package dev.athanor.junit5;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** A MyBatis mapper on a test's items table (its name is unique per run, hence the substitution). */
public interface ItemMapper {
    @Insert("INSERT INTO ${table} (name) VALUES (#{name})")
    int insert(@Param("table") String table, @Param("name") String name);

    @Select("SELECT count(*) FROM ${table}")
    long count(@Param("table") String table);
}
